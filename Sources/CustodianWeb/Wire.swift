import CustodianAPI

/// A domain value that has no twin in the contract's enum: the build's contract and domain have
/// drifted. `ContractParityTests` proves every domain case has its wire twin, so this is answered
/// 500 (and logged by type) rather than ever trapping.
struct ContractDrift: Error {
    let type: String
    let value: String
}

/// The contract's enum value with the same raw value as a domain value.
func wire<W: RawRepresentable>(_ raw: String, as _: W.Type = W.self) throws(ContractDrift) -> W where W.RawValue == String {
    guard let value = W(rawValue: raw) else { throw ContractDrift(type: String(describing: W.self), value: raw) }
    return value
}

extension RawRepresentable where RawValue == String {
    func wire<W: RawRepresentable>(as _: W.Type = W.self) throws(ContractDrift) -> W where W.RawValue == String {
        try CustodianWeb.wire(rawValue)
    }
}
