// SpikeSession module.
