// SpikeUI module.
