// SpikeTrain module.
