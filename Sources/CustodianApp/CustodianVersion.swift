/// What `custodian --version` prints, so an operator can say which release a server runs.
enum CustodianVersion {
    static let release = "0.34.0"
    static let current = "custodian \(release)"
}
