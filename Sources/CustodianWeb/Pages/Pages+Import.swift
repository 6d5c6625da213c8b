import CustodianCore
import Foundation
import Hummingbird

/// A borough feed uploaded on a page: the same import as the API and the command line, all or
/// nothing, with the report of every bad row on the page. A long feed runs as a job.
extension Pages {
    func importRoutes<Context: RequestContext>(_ router: RouterGroup<Context>) {
        router.get("/import") { request, _ in
            let (visitor, _) = try await working(request)
            return importPage(visitor)
        }
        // Made-up rows only: nothing from the register, so any signed-in user who may import may have it.
        router.get("/import/template.csv") { request, _ in
            _ = try await working(request)
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/csv; charset=utf-8",
                    .contentDisposition: "attachment; filename=\"custodian-import-template.csv\"",
                ], body: .init(byteBuffer: ByteBuffer(string: ImportFile.template)))
        }
        router.post("/import") { request, _ in
            let (visitor, purpose) = try await working(request)
            let upload = try await FileUpload.read(request)
            try Self.requireCSRF(upload._csrf, visitor)
            guard let csv = upload.file, !csv.isEmpty else {
                return importPage(
                    visitor, violations: [FieldViolation(field: "file", rule: "required", message: "Select a CSV file to import")],
                    status: .unprocessableContent)
            }
            let dryRun = upload.dryRun != nil
            return await startJob(.import, visitor, purpose) { [register] report in
                .imported(
                    try await register.importRecords(
                        csv: csv, dryRun: dryRun, progress: { report($0.work) }, by: visitor.user, for: purpose))
            }
        }
    }

    func importPage(
        _ visitor: Visitor, outcome: ImportOutcome? = nil, violations: [FieldViolation] = [], status: HTTPResponse.Status = .ok
    ) -> Response {
        var context: [String: Any] = [
            "header": ImportFile.columns.joined(separator: ","),
            "borough": visitor.user.unit.name,
        ]
        if let o = outcome {
            context["outcome"] = [
                "verb": o.dryRun ? "Checked: nothing was written. The file would import" : "Imported", "rows": BarChart.count(o.rows),
                "subjects": BarChart.count(o.subjects), "matters": BarChart.count(o.matters), "links": BarChart.count(o.links),
                "intelligence": BarChart.count(o.intelligence), "flags": BarChart.count(o.flags),
                "digest": o.digest,
            ]
        }
        if !violations.isEmpty {
            context["refused"] = ["count": violations.count]
            context["violations"] = violations.map { ["field": $0.field, "message": PlainWords.sentence($0.message), "rule": $0.rule] }
        }
        return page("import", "Import a borough feed", visitor, context, status: status)
    }
}
