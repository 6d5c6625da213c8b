/// The assessment Custodian ships as a starting point: the processing it does, its necessity, the
/// risks the 2018 enforcement notice found and the measures the register takes against each. A
/// force adapts it, the DPO advises and the board approves; the demo and the tests adopt it as is.
extension DPIADraft {
    public static func custodianBaseline(reviewOn: LocalDate) -> DPIADraft {
        DPIADraft(
            processing: """
                A London-wide register of people linked to serious violence, kept by borough with central governance: \
                personal details, matters with each person's s.38(3) category (suspect, convicted, victim, witness, other), \
                graded intelligence (3x5x2) with provenance, enforcement flags citing evidence, a harm score by a published \
                method, inclusion decided by two people, reviews, and disclosures to partners under sharing agreements.
                """,
            necessity: """
                Preventing and investigating serious violence and safeguarding people at risk of it (s.31). Only people \
                meeting the rulebook's threshold on at least two independent graded sources are included; victims and \
                witnesses are never included or shared as suspects; data is kept no longer than the rulebook's periods.
                """,
            risks: """
                Stigma and discrimination from being listed (disproportionate listing of young Black men under the Gangs \
                Matrix); victims treated as perpetrators; inaccurate or stale data; blanket or unredacted sharing and \
                onward disclosure (the Newham breach); informal lists of removed people; access beyond need.
                """,
            measures: """
                Categories on every link and protected-only people kept out of enforcement; four-eyes inclusion and \
                sharing; sharing only under approved agreements with field allow-lists, encrypted packages, watermarks \
                and recalls; per-subject keys destroyed on erasure; a tamper-evident signed audit log of every \
                collection, consultation, alteration, disclosure, combination and erasure; quarterly reviews; rights \
                requests answered with verifiable receipts; equality monitoring.
                """,
            reviewOn: reviewOn.description)
    }
}

extension Register {
    /// Drafts the baseline, records `dpo`'s advice and has `board` approve it: how a new register
    /// (the demo, a benchmark, a test) starts lawfully, through the same use cases as governance.
    @discardableResult
    public func adoptBaselineDPIA(dpo: User, board: User, reviewOn: LocalDate) async throws -> DPIA {
        let purpose = StatedPurpose(purpose: .registerReview, justification: "Adopting the register's impact assessment")
        let draft = try await draftDPIA(.custodianBaseline(reviewOn: reviewOn), by: dpo, for: purpose)
        _ = try await adviseOnDPIA(
            draft.id, advice: "Proceed: the measures address each risk the 2018 enforcement notice found; review equality quarterly.",
            by: dpo, for: purpose)
        return try await approveDPIA(draft.id, icoAdvice: nil, by: board, for: purpose)
    }
}
