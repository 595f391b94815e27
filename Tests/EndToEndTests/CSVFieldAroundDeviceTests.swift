import AnchorCore
@testable import anchordesk
import Testing

/// A CSV field prepared once around a device's ID (``CSVFieldAroundDevice``) is, for every
/// device, the field made whole from the text: counter-risk writes millions of unlogged GPFs' advice so.
@Suite struct CSVFieldAroundDeviceTests {
    @Test func aPreparedFieldIsTheFieldMadeWholeForEveryDevice() throws {
        let texts: [(String) -> String] = [
            { CounterRiskReport.unloggedAction(device: $0) },
            { "say \"\($0)\", then stop" },
            { "plain \($0) text" },
        ]
        for text in texts {
            let prepared = try #require(CSVFieldAroundDevice(text))
            for id in ["00-00-00-00-00-00-00-01", "FF-FF-FF-FF-FF-FF-FF-FF", "00-DB-12-01-73-F7-8B-92"] {
                let device = try #require(EUI64(id))
                var whole = CSVLineWriter()
                whole.field("first")
                whole.field(Presentation.safe(text(id)))
                var fast = CSVLineWriter()
                fast.field("first")
                fast.field(prepared, device)
                #expect(fast.bytes == whole.bytes, "\(String(decoding: fast.bytes, as: UTF8.self))")
            }
        }
        #expect(try #require(ReportCommand.CounterRisk.unloggedAdvice).before.first == UInt8(ascii: "\""), "the advice holds commas")
    }

    @Test func aTextThatDoesNotNameTheDeviceOnceAfterItsStartIsNotPrepared() {
        #expect(CSVFieldAroundDevice { $0 } == nil)
        #expect(CSVFieldAroundDevice { "=\($0)" } != nil, "a formula start is the text's, before the ID")
        #expect(CSVFieldAroundDevice { _ in "no device here" } == nil)
        #expect(CSVFieldAroundDevice { "\($0) then \($0)" } == nil)
        #expect(CSVFieldAroundDevice { "once \($0) twice \($0)" } == nil)
    }
}
