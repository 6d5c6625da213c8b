/// The 32 London boroughs and the City of London: the borough units that keep the register.
public enum Borough: String, CaseIterable, Sendable, Codable {
    case barkingAndDagenham = "barking-and-dagenham"
    case barnet, bexley, brent, bromley, camden
    case cityOfLondon = "city-of-london"
    case croydon, ealing, enfield, greenwich, hackney
    case hammersmithAndFulham = "hammersmith-and-fulham"
    case haringey, harrow, havering, hillingdon, hounslow, islington
    case kensingtonAndChelsea = "kensington-and-chelsea"
    case kingstonUponThames = "kingston-upon-thames"
    case lambeth, lewisham, merton, newham, redbridge
    case richmondUponThames = "richmond-upon-thames"
    case southwark, sutton
    case towerHamlets = "tower-hamlets"
    case walthamForest = "waltham-forest"
    case wandsworth, westminster

    public var name: String {
        switch self {
        case .barkingAndDagenham: "Barking and Dagenham"
        case .cityOfLondon: "City of London"
        case .hammersmithAndFulham: "Hammersmith and Fulham"
        case .kensingtonAndChelsea: "Kensington and Chelsea"
        case .kingstonUponThames: "Kingston upon Thames"
        case .richmondUponThames: "Richmond upon Thames"
        case .towerHamlets: "Tower Hamlets"
        case .walthamForest: "Waltham Forest"
        default: rawValue.prefix(1).uppercased() + rawValue.dropFirst()
        }
    }
}

/// Where a user works and a record belongs: one of the borough units, or the central team.
/// Boroughs are tenants of one register; the central team holds no register records of its own.
public enum Scope: Hashable, Sendable, Codable, CustomStringConvertible {
    case borough(Borough)
    case central

    public init?(code: String) {
        if code == "central" { self = .central } else if let b = Borough(rawValue: code) { self = .borough(b) } else { return nil }
    }

    /// The stored and wire form: a borough's slug, or `central`.
    public var code: String {
        switch self {
        case .borough(let b): b.rawValue
        case .central: "central"
        }
    }

    public var name: String {
        switch self {
        case .borough(let b): b.name
        case .central: "Central team"
        }
    }

    public var borough: Borough? { if case .borough(let b) = self { b } else { nil } }

    /// The borough whose records a use case writes. Borough-only actions are gated before this is
    /// asked, so central is refused here only if a gate were missing: a refusal, never a trap.
    public func recordingBorough() throws(RegisterError) -> Borough {
        guard let borough else { throw .denied(.recordingBoroughOnly) }
        return borough
    }

    public var description: String { code }

    public static let all: [Scope] = Borough.allCases.map(Scope.borough) + [.central]

    public init(from decoder: any Decoder) throws {
        let code = try decoder.singleValueContainer().decode(String.self)
        guard let unit = Scope(code: code) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown unit \(code)"))
        }
        self = unit
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}
