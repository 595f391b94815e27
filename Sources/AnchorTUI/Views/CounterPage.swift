import AnchorCore

/// A device's recorded counters over time, the counters sent to it, what a SRV6.21 would do
/// now, and a chart of the counters on a logarithmic scale.
enum CounterPage {
    /// Columns of the two tables before their last cell: when, service, who, counter.
    static let leadingWidth = 16 + 1 + 6 + 1 + 14 + 1 + 20 + 1
    /// Where a bar starts under its row (under the service column).
    static let barIndent = 17
    /// Room kept right of a bar for the step.
    static let stepWidth = 22

    static func lines(_ device: Device, _ ledger: Ledger, width: Int, glyphs: Glyphs, legacy: Bool) -> [StyledLine] {
        let width = width - 2
        let history = ledger.counterHistory[device.id] ?? []
        let requests = ledger.requests(for: device.id)
        let recorded = ledger.recordedCounters[device.id]
        var lines: [StyledLine] = [
            [Span("Recorded counter "), Span(recorded?.description ?? "none", .strong),
             Span("  (FIA 4.1.1: highest hand-back counter)", .muted)],
        ]
        lines += nextHandover(device, ledger, width: width, glyphs: glyphs, legacy: legacy)
        lines.append([Span("Device NO floor "), Span(device.floors[.networkOperator].description, .strong)])
        lines.append([])

        func tableRow(_ when: String, _ service: String, _ by: String, _ counter: String, _ last: Span, _ style: CellStyle) -> StyledLine {
            [Span(TextWidth.fit(when, to: 16) + " " + TextWidth.fit(service, to: 6) + " " + TextWidth.fit(by, to: 14)
                  + " " + TextWidth.fit(counter, to: 20, alignRight: true) + " ", style), last]
        }
        lines.append([Span("Recorded counters", .heading), Span("  (what SRV6.21 will compare against)", .muted)])
        lines.append(tableRow("WHEN", "SRV", "BY", "COUNTER", Span("STEP", .heading), .heading))
        if history.isEmpty { lines.append([Span("  no counter recorded yet: none has come back from a 6.15.1 hand-back", .muted)]) }
        for (index, entry) in history.enumerated() {
            let by = requests.first(where: { $0.requestId == entry.requestId })?.requester ?? "-"
            let step = index == 0 ? Span("first recorded", .muted)
                : Span(CounterScale.step(from: history[index - 1].counter, to: entry.counter) + " on the one before")
            lines.append(tableRow(when(entry.at), entry.service.rawValue, by, entry.counter.description, step, .plain))
        }
        lines.append([])

        let scale = CounterScale()
        let barWidth = max(6, width - barIndent - stepWidth)
        let indent = String(repeating: " ", count: barIndent)
        lines.append([Span("Counters sent to this device", .heading), Span("  (SRV6.21 counters are the ACB's)", .muted)])
        lines.append(tableRow("WHEN", "SRV", "SIGNED BY", "COUNTER", Span("OUTCOME", .heading), .heading))
        if requests.isEmpty { lines.append([Span("  none yet", .muted)]) }
        if !requests.isEmpty {
            lines.append([Span(TextWidth.fit("log scale", to: barIndent)), Span(scale.axis(width: barWidth), .muted),
                          Span("  STEP", .heading)])
        }
        for (index, record) in requests.enumerated() {
            let outcome = record.outcome != .rejected ? Span("\(glyphs.succeeded) " + (record.outcome == .scheduled ? "scheduled" : "ok"), .success)
                : Span("\(glyphs.rejected) \(record.reason?.rawValue ?? "rejected")", .error)
            lines.append(tableRow(when(record.at), record.service.rawValue, record.originator,
                                  record.originatorCounter.description, outcome, .plain))
            let step = index == 0 ? Span("  first sent", .muted)
                : Span("  " + CounterScale.step(from: requests[index - 1].originatorCounter, to: record.originatorCounter))
            lines.append([Span(indent),
                          Span(TextWidth.fit(scale.bar(record.originatorCounter, width: barWidth, glyphs: glyphs), to: barWidth),
                               record.outcome != .rejected ? .success : .error),
                          step])
        }
        return lines
    }

    /// What a SRV6.21 for the device would do now: the counter it would use while the ACB's
    /// certificate is in the Network Operator cell; otherwise why there is none to send.
    static func nextHandover(_ device: Device, _ ledger: Ledger, width: Int, glyphs: Glyphs, legacy: Bool) -> [StyledLine] {
        guard let acb = ledger.soleOrganisation(withRole: .acb) else { return [] }
        let recorded = ledger.recordedCounters[device.id]
        let floor = device.floors[.networkOperator]
        let holder = device.cells[.networkOperatorDS].flatMap { ledger.owner(ofCertificate: $0) }
        func explained(_ headline: [Span], _ why: String, _ style: CellStyle = .plain) -> [StyledLine] {
            let indent = "             "
            return [headline] + TextWrap.lines(why, width: max(20, width - indent.count)).map { [Span(indent), Span($0, style)] }
        }
        if let pending = ledger.pendingCommand(for: device.id) {
            return explained([Span("Next SRV6.21 "), Span("waits", .warning)],
                             "\(pending.sender)'s scheduled \(pending.requestId) is due at \(pending.dueAt); its counter is recorded when its alert arrives")
        }
        guard holder?.role == .acb else {
            let owner = holder?.id ?? "no organisation"
            let placed = ledger.requests(for: device.id).last { $0.service == .requestHandover && $0.outcome == .succeeded }
            return explained([Span("No SRV6.21 now: "), Span("the NO cell holds \(owner)'s certificate", .strong)],
                             (placed.map { "placed by SRV6.21 \(when($0.at)) with counter \($0.originatorCounter); " } ?? "")
                             + "\(owner) must hand it back to the ACB with SRV6.15.1 first, with a counter above the NO floor \(floor); "
                             + "that counter is recorded, and the next SRV6.21 goes above it")
        }
        guard let generated = acb.lastCounter.successor else {
            return [[Span("Next SRV6.21 "), Span("none: the ACB's counter sequence is exhausted", .error)]]
        }
        let used = HandoverCounterPolicy.counter(generated: generated, recorded: recorded, legacy: legacy)
        var why = "no recorded counter, using generated"
        if let recorded {
            why = legacy ? "LEGACY: recorded \(recorded) ignored"
                : recorded >= generated ? "recorded \(recorded) \(glyphs.greaterOrEqual) generated \(generated), using recorded+1"
                : "recorded \(recorded) < generated \(generated), using generated"
        }
        if let used, used <= floor {
            why += "; the device would refuse it: not above its NO floor \(floor)"
        }
        return explained([Span("Next SRV6.21 would use "), Span(used?.description ?? "none", .strong)], why,
                         legacy || (used.map { $0 <= floor } ?? false) ? .error : .plain)
    }

    static func when(_ timestamp: Timestamp) -> String {
        let text = timestamp.description
        return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(5))
    }
}
