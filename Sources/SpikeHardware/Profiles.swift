// The shipped target profiles (Profiles/NAME.toml, resources of this module). Reading their
// TOML is SpikeSession's job (TargetFile); this file only finds them.
import Foundation

/// The profiles shipped with spikescope.
public enum TargetProfiles {
    /// Names of the shipped profiles, in the order help lists them.
    public static let names = ["loihi", "loihi2", "truenorth", "spinnaker", "spinnaker2", "speck", "xylo", "generic"]

    /// The path of a shipped profile, or nil for an unknown name.
    public static func path(named name: String) -> String? {
        guard names.contains(name) else { return nil }
        return Bundle.module.url(forResource: name, withExtension: "toml", subdirectory: "Profiles")?.path
            ?? Bundle.module.url(forResource: name, withExtension: "toml")?.path
    }
}
