/// The central rulebook: one set of rules for every borough, versioned. Every inclusion, score and
/// review is stamped with the version it was decided under (G1). Boroughs cannot change or
/// override it; a new version takes effect only when a second governance user approves it (G2).
public struct Rulebook: Sendable, Equatable, Codable {
    public var version: Int
    public var inclusion: InclusionRules
    public var harm: HarmRules
    public var review: ReviewRules
    /// Days a training record lasts before a refresher is due; a user who has not refreshed acts on
    /// no data. Stored optional so versions written before the rule read as the default.
    public var trainingRefresherDays: Int {
        get { refresherDays ?? Self.defaultTrainingRefresherDays }
        set { refresherDays = newValue }
    }
    private var refresherDays: Int?
    /// A year: the College of Policing's information management refreshers are annual.
    public static let defaultTrainingRefresherDays = 365
    /// How long people who are not included are kept before their record is reviewed (s.39).
    /// Versions written before the rule read as the standard periods.
    public var retention: RetentionRules {
        get { retentionRules ?? .standard }
        set { retentionRules = newValue }
    }
    private var retentionRules: RetentionRules?
    /// When a disparity raises an alert, and how far a new version may widen one. Versions written
    /// before the rule read as the defaults.
    public var equality: EqualityRules {
        get { equalityRules ?? .standard }
        set { equalityRules = newValue }
    }
    private var equalityRules: EqualityRules?

    public init(
        version: Int, inclusion: InclusionRules, harm: HarmRules, review: ReviewRules,
        trainingRefresherDays: Int = defaultTrainingRefresherDays
    ) {
        (self.version, self.inclusion, self.harm, self.review) = (version, inclusion, harm, review)
        self.refresherDays = trainingRefresherDays
    }
}

/// Equality monitoring's two settings (E3, E5), chosen by governance.
public struct EqualityRules: Sendable, Equatable, Codable {
    /// An alert is raised when a relative rate's whole 95% interval lies above this.
    public var alertThreshold: Double
    /// A new version widens a disparity when a group's relative rate, above 1, would rise by more
    /// than this fraction of its rate under the version in force.
    public var wideningTolerance: Double
    /// The characteristics whose disparities raise alerts. Every report shows all four; age and
    /// sex disparities are expected of a register about serious violence (young men), so by
    /// default they are watched in the report and governance chooses whether they alert too.
    public var alertOn: [EqualityCharacteristic]

    public init(
        alertThreshold: Double, wideningTolerance: Double,
        alertOn: [EqualityCharacteristic] = [.officerDefinedEthnicity, .selfDefinedEthnicity]
    ) {
        (self.alertThreshold, self.wideningTolerance, self.alertOn) = (alertThreshold, wideningTolerance, alertOn)
    }

    /// Twice the reference group's rate, with the whole interval above it: a disparity no sampling
    /// variation explains. A tenth: more than noise between versions. Starting points, not findings.
    public static let standard = EqualityRules(alertThreshold: 2, wideningTolerance: 0.1)
}

/// What evidence must show before a person is included (I5).
public struct InclusionRules: Sendable, Equatable, Codable {
    /// Independent sources needed: different originating units or different registered sources.
    public var minimumIndependentSources: Int
    /// Below this age at the decision, inclusion is refused outright.
    public var minimumAge: Int
    /// Below this age, a safeguarding rationale and a central second approval are required.
    public var childAge: Int

    public init(minimumIndependentSources: Int, minimumAge: Int, childAge: Int) {
        (self.minimumIndependentSources, self.minimumAge, self.childAge) = (minimumIndependentSources, minimumAge, childAge)
    }
}

/// The published harm method's parameters (SC1, SC2).
public struct HarmRules: Sendable, Equatable, Codable {
    /// Severity of each offence type, in days of custody at the sentencing guideline's starting
    /// point, in the style of the Cambridge Crime Harm Index. Illustrative: governance must set them.
    public var offenceWeights: [OffenceType: Double]
    /// An offence's weight halves every this many days after it occurred.
    public var halfLifeDays: Int
    /// Offences older than this are not counted at all.
    public var lookbackDays: Int
    /// Weapon-access intelligence counts only within this many days of its recording.
    public var weaponIntelligenceWindowDays: Int
    /// What one qualifying weapon-access intelligence item adds, in the same units.
    public var weaponIntelligenceWeight: Double
    /// Score at or above which a person is amber; at or above `redFrom`, red; below, green.
    public var amberFrom: Double
    public var redFrom: Double

    public init(
        offenceWeights: [OffenceType: Double], halfLifeDays: Int, lookbackDays: Int, weaponIntelligenceWindowDays: Int,
        weaponIntelligenceWeight: Double, amberFrom: Double, redFrom: Double
    ) {
        self.offenceWeights = offenceWeights
        self.halfLifeDays = halfLifeDays
        self.lookbackDays = lookbackDays
        self.weaponIntelligenceWindowDays = weaponIntelligenceWindowDays
        self.weaponIntelligenceWeight = weaponIntelligenceWeight
        self.amberFrom = amberFrom
        self.redFrom = redFrom
    }
}

/// Review cadence and what follows when reviews slip or scores fall (RR1, RR2, SC3).
public struct ReviewRules: Sendable, Equatable, Codable {
    /// Days between reviews of an included person.
    public var cadenceDays: Int
    /// Days past the due date before an unreviewed person is suspended from cohorts and sharing.
    public var graceDays: Int
    /// Days a score may sit at zero, or under the inclusion threshold, before a removal review is forced.
    public var zeroScoreRemovalDays: Int
    /// The score under which a person no longer meets the threshold for staying on the register.
    public var retentionThreshold: Double

    public init(cadenceDays: Int, graceDays: Int, zeroScoreRemovalDays: Int, retentionThreshold: Double) {
        (self.cadenceDays, self.graceDays, self.zeroScoreRemovalDays, self.retentionThreshold) = (
            cadenceDays, graceDays, zeroScoreRemovalDays, retentionThreshold
        )
    }
}

extension Rulebook {
    /// The first version, with defaults chosen from the record of how the Matrix and its
    /// replacement worked (domain-research §2.2, §2.5, §4.3). Each is a starting point for
    /// governance to confirm, not a finding.
    public static let first = Rulebook(
        version: 1,
        // "Corroborated by reliable intelligence from more than one source" was the Matrix's own
        // threshold; here it is enforced. Under-10s are below the age of criminal responsibility.
        inclusion: InclusionRules(minimumIndependentSources: 2, minimumAge: 10, childAge: 18),
        harm: HarmRules(
            // Days of custody at a guideline starting point, CCHI-style. ILLUSTRATIVE ONLY.
            offenceWeights: [
                .murder: 5475, .attemptedMurder: 4380, .grievousBodilyHarm: 1460, .firearmsPossession: 1825,
                .robbery: 365, .threatsToKill: 365, .burglary: 365, .drugSupply: 1642, .actualBodilyHarm: 182,
                .bladedArticlePossession: 182, .commonAssault: 10, .other: 0,
            ],
            // The Matrix counted violence over three years; a one-year half-life lets old offences
            // fade instead of dropping off a cliff, and the three-year look-back ends them.
            halfLifeDays: 365, lookbackDays: 3 * 365,
            // Weapon intelligence counted for six months under the Matrix.
            weaponIntelligenceWindowDays: 182, weaponIntelligenceWeight: 182,
            // Red: roughly one serious violent offence in the last year; amber: a lesser one.
            amberFrom: 150, redFrom: 1000),
        // "Reviewed at least every quarter" (MPS, 2018); two weeks' grace; a zero score for a
        // quarter forces the removal review the Matrix never held (40% sat at zero).
        review: ReviewRules(cadenceDays: 91, graceDays: 14, zeroScoreRemovalDays: 91, retentionThreshold: 1))
}
