/// The release every binary reports with `--version`; the package version comes from the same
/// place.
public enum P2PVersion {
    public static let current = "0.1.0"
}
