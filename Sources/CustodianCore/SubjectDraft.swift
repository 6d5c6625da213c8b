/// A subject as an officer submits it, in wire words. `validated` is the one place its rules live.
public struct SubjectDraft: Sendable {
    public struct Name: Sendable {
        public var given: String
        public var family: String
        public init(given: String, family: String) { (self.given, self.family) = (given, family) }
    }

    public var names: [Name]
    public var aliases: [String]
    public var nickname: String?
    public var dateOfBirth: String?
    public var addresses: [String]
    public var pncID: String?
    public var sex: String
    public var sourceType: String
    public var officerDefinedEthnicity: String?
    public var selfDefinedEthnicity: String?

    /// Whether the draft carries special-category data, which needs its own permission to record.
    public var recordsEthnicity: Bool {
        !(officerDefinedEthnicity ?? "").isEmpty || !(selfDefinedEthnicity ?? "").isEmpty
    }

    public init(
        names: [Name], aliases: [String] = [], nickname: String? = nil, dateOfBirth: String?,
        addresses: [String] = [], pncID: String? = nil, sex: String, sourceType: String = "police",
        officerDefinedEthnicity: String? = nil, selfDefinedEthnicity: String? = nil
    ) {
        self.names = names
        self.aliases = aliases
        self.nickname = nickname
        self.dateOfBirth = dateOfBirth
        self.addresses = addresses
        self.pncID = pncID
        self.sex = sex
        self.sourceType = sourceType
        self.officerDefinedEthnicity = officerDefinedEthnicity
        self.selfDefinedEthnicity = selfDefinedEthnicity
    }

    /// Limits a record of a real person never reaches; published in the API contract.
    public static let maxNames = 10, maxAliases = 20, maxAddresses = 10

    public func validated(id: SubjectID, unit: Borough, author: UserID, now: Timestamp) throws(RegisterError) -> Subject {
        var v = Validator()
        if names.isEmpty { v.fail("names", "required", "at least one name is required") }
        v.count(names, "names", max: Self.maxNames)
        v.count(aliases, "aliases", max: Self.maxAliases)
        v.count(addresses, "addresses", max: Self.maxAddresses)
        var parsedNames: [PersonName] = []
        for (i, name) in names.enumerated() {
            let given = v.line(name.given, "names[\(i)].given", max: 100)
            let family = v.line(name.family, "names[\(i)].family", max: 100)
            if let given, let family { parsedNames.append(PersonName(given: given, family: family)) }
        }
        let aliases = aliases.enumerated().compactMap { v.line($1, "aliases[\($0)]", max: 100) }
        let nickname = v.line(nickname, "nickname", max: 60, required: false)
        var dob: LocalDate?
        // Not known is said by leaving the date out; a blank is not a date.
        if let text = dateOfBirth {
            dob = LocalDate(iso: text)
            if dob == nil {
                v.fail("dateOfBirth", "date.format", "dateOfBirth must be a date as YYYY-MM-DD (omit it when not known)")
            } else if let d = dob, d > now.day {
                v.fail("dateOfBirth", "date.not-future", "dateOfBirth cannot be in the future")
            } else if let d = dob, d.age(on: now.day) > 120 {
                v.fail("dateOfBirth", "date.plausible", "dateOfBirth is more than 120 years ago")
            }
        }
        let addresses = addresses.enumerated().compactMap { v.line($1, "addresses[\($0)]", max: 200) }
        let pnc = v.line(pncID, "pncId", max: 20, required: false)
        if let pnc, !SubjectDraft.isPNCID(pnc) {
            v.fail("pncId", "pnc.format", "pncId must look like YY/NNNNNNNL, for example 19/1234567A")
        }
        let sex = Sex(rawValue: sex)
        if sex == nil { v.fail("sex", "sex.known", "sex must be one of male, female, not-known") }
        let source = SourceType(rawValue: sourceType)
        if source == nil {
            v.fail(
                "sourceType", "source-type.known",
                "sourceType must be one of \(SourceType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var sensitive = SensitiveDetails()
        if let code = officerDefinedEthnicity, !code.isEmpty {
            if let e = OfficerDefinedEthnicity(rawValue: code) {
                sensitive.officerDefinedEthnicity = EthnicityRecord(code: e, recordedBy: author, recordedAt: now)
            } else {
                v.fail("officerDefinedEthnicity", "ethnicity.ic-code", "officerDefinedEthnicity must be IC1 to IC6 or unknown")
            }
        }
        if let code = selfDefinedEthnicity, !code.isEmpty {
            if let e = SelfDefinedEthnicity(rawValue: code) {
                sensitive.selfDefinedEthnicity = EthnicityRecord(code: e, recordedBy: author, recordedAt: now)
            } else {
                v.fail("selfDefinedEthnicity", "ethnicity.census-2021", "selfDefinedEthnicity must be a 2021 census category or not-stated")
            }
        }
        let (sexValue, sourceValue) = try v.finish(sex, source)
        let personal = PersonalDetails(
            names: parsedNames, aliases: aliases, nickname: nickname, dateOfBirth: dob,
            addresses: addresses, pncID: pnc?.uppercased(), sex: sexValue)
        return Subject(
            id: id, unit: unit, personal: personal, sensitive: sensitive,
            provenance: Provenance(sourceType: sourceValue, originatingUnit: .borough(unit), author: author, recordedAt: now))
    }

    /// PNC ids are two year digits, a slash, up to seven digits and a check letter.
    static func isPNCID(_ text: String) -> Bool {
        let parts = text.uppercased().split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[0].allSatisfy(\.isASCII), parts[0].allSatisfy(\.isNumber) else { return false }
        let tail = parts[1]
        guard let last = tail.last, last.isASCII, last.isLetter else { return false }
        let digits = tail.dropLast()
        return (1...7).contains(digits.count) && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
