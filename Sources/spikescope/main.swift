/// Placeholder.
print("spikescope")
