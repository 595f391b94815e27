extension CounterRiskReport {
    /// One GPF at risk.
    public struct Row: Hashable, Sendable, Codable {
        /// The GPF.
        public var device: EUI64
        /// Its Responsible Supplier.
        public var supplier: String
        /// Its recorded NO counter, if any.
        public var recordedCounter: OriginatorCounter?
        /// The counter the ACB's own sequence would give the next SRV6.21.
        public var nextGenerated: OriginatorCounter?
        /// Which risk.
        public var risk: Risk
        /// The last GNO the request log shows in the NO cell, if any.
        public var formerNetworkOperator: String?
        /// How ``action`` is made.
        private var advice: Advice

        /// What the operator should do.
        public var action: String {
            get {
                switch advice {
                case .text(let text): text
                case .unlogged: CounterRiskReport.unloggedAction(device)
                }
            }
            set { advice = .text(newValue) }
        }

        /// Whether ``action`` is ``CounterRiskReport/unloggedAction(device:)`` for this row's
        /// device: the advice for a GPF no log mentions, made only when it is read, since
        /// millions of rows may have it.
        public var advisesAsUnlogged: Bool {
            if case .unlogged = advice { true } else { false }
        }

        /// ``action`` as written (`text`) or as made from the device's ID when read.
        enum Advice: Sendable {
            case text(String)
            case unlogged
        }

        init(device: EUI64, supplier: String, recordedCounter: OriginatorCounter?, nextGenerated: OriginatorCounter?,
             risk: Risk, formerNetworkOperator: String?, action: String) {
            self.init(device: device, supplier: supplier, recordedCounter: recordedCounter, nextGenerated: nextGenerated,
                      risk: risk, formerNetworkOperator: formerNetworkOperator, advice: .text(action))
        }

        init(device: EUI64, supplier: String, recordedCounter: OriginatorCounter?, nextGenerated: OriginatorCounter?,
             risk: Risk, formerNetworkOperator: String?, advice: Advice) {
            self.device = device
            self.supplier = supplier
            self.recordedCounter = recordedCounter
            self.nextGenerated = nextGenerated
            self.risk = risk
            self.formerNetworkOperator = formerNetworkOperator
            self.advice = advice
        }

        // Equal, hashed and coded by what the row says, however its action is made.

        public static func == (first: Row, second: Row) -> Bool {
            first.device == second.device && first.supplier == second.supplier && first.recordedCounter == second.recordedCounter
                && first.nextGenerated == second.nextGenerated && first.risk == second.risk
                && first.formerNetworkOperator == second.formerNetworkOperator && first.action == second.action
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(device)
            hasher.combine(supplier)
            hasher.combine(recordedCounter)
            hasher.combine(nextGenerated)
            hasher.combine(risk)
            hasher.combine(formerNetworkOperator)
            hasher.combine(action)
        }

        private enum CodingKeys: String, CodingKey {
            case device, supplier, recordedCounter, nextGenerated, risk, formerNetworkOperator, action
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(device: try container.decode(EUI64.self, forKey: .device),
                      supplier: try container.decode(String.self, forKey: .supplier),
                      recordedCounter: try container.decodeIfPresent(OriginatorCounter.self, forKey: .recordedCounter),
                      nextGenerated: try container.decodeIfPresent(OriginatorCounter.self, forKey: .nextGenerated),
                      risk: try container.decode(Risk.self, forKey: .risk),
                      formerNetworkOperator: try container.decodeIfPresent(String.self, forKey: .formerNetworkOperator),
                      action: try container.decode(String.self, forKey: .action))
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(device, forKey: .device)
            try container.encode(supplier, forKey: .supplier)
            try container.encodeIfPresent(recordedCounter, forKey: .recordedCounter)
            try container.encodeIfPresent(nextGenerated, forKey: .nextGenerated)
            try container.encode(risk, forKey: .risk)
            try container.encodeIfPresent(formerNetworkOperator, forKey: .formerNetworkOperator)
            try container.encode(action, forKey: .action)
        }
    }
}
