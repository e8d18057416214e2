// SpikeData module.
