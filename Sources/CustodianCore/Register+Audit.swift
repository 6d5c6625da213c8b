extension Register {
    /// Reading the log is itself a consultation and is logged, after the page is read.
    public func auditLog(_ query: AuditQuery, by actor: User, for purpose: StatedPurpose) async throws -> [RecordedAuditEntry] {
        try await perform(actor, purpose, action: "audit.read", .consultation) { tx, gate in
            try gate.require(.readAuditLog, unit: nil, touched: ["audit-log"])
            let page = try await tx.auditEntries(query)
            try await tx.appendAudit([gate.entry(.consultation, subjects: query.subject.map { [$0] } ?? [], touched: ["audit-log"])])
            return page
        }
    }
}
