/// The release every binary reports with `--version`. It must equal the repository's VERSION file,
/// the .deb's version (`VersionTests` and `scripts/make-deb.sh` fail when they differ).
public enum P2PVersion {
    public static let current = "0.1.0"
}
