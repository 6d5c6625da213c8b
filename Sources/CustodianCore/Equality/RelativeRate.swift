import Foundation

/// A group's rate at one stage of the register against the baseline population, and its rate
/// relative to the reference group's, with a 95% confidence interval.
///
/// Method: the relative rate is the ratio of two proportions, RR = (a / Na) / (b / Nb), where a
/// and b are the counts at the stage and Na and Nb the baseline populations of the group and the
/// reference group. Its 95% interval is the log-based (Katz) interval for a ratio of proportions:
/// exp(ln RR ± 1.96 · SE), SE = sqrt(1/a − 1/Na + 1/b − 1/Nb). There is no interval when either
/// count is zero (the logarithm is undefined); the report says so rather than invent one.
public struct RelativeRate: Sendable, Equatable, Codable {
    public let count: Int
    public let baseline: Int
    public let referenceCount: Int
    public let referenceBaseline: Int

    /// 1.96, to the precision the normal quantile is usually quoted at.
    public static let z95 = 1.959963984540054

    public init(count: Int, baseline: Int, referenceCount: Int, referenceBaseline: Int) {
        (self.count, self.baseline, self.referenceCount, self.referenceBaseline) = (count, baseline, referenceCount, referenceBaseline)
    }

    /// People at the stage per 1,000 of the baseline population; nil without a baseline.
    public var ratePerThousand: Double? { baseline > 0 ? Double(count) / Double(baseline) * 1000 : nil }

    public var ratio: Double? {
        guard baseline > 0, referenceBaseline > 0, referenceCount > 0 else { return nil }
        return (Double(count) / Double(baseline)) / (Double(referenceCount) / Double(referenceBaseline))
    }

    /// The 95% interval; nil when either count is zero or a baseline is missing or smaller than its count.
    public var interval95: (lower: Double, upper: Double)? {
        guard let ratio, count > 0, count <= baseline, referenceCount <= referenceBaseline else { return nil }
        let variance =
            1 / Double(count) - 1 / Double(baseline) + 1 / Double(referenceCount) - 1 / Double(referenceBaseline)
        guard variance >= 0 else { return nil }
        let spread = Self.z95 * variance.squareRoot()
        return (exp(log(ratio) - spread), exp(log(ratio) + spread))
    }

    /// Whether the whole interval lies above `threshold`: the alert condition the rulebook sets.
    public func whollyAbove(_ threshold: Double) -> Bool { interval95.map { $0.lower > threshold } ?? false }
}
