// Names for the command line and session files: one parser per choice, errors naming the field.

extension Surrogate {
    /// Names `parse` accepts.
    public static let names = ["atan", "fast-sigmoid", "rectangular", "triangular"]

    /// Parses "atan", "fast-sigmoid", "rectangular" or "triangular" with its parameter (α, slope
    /// or width; nil gives atan α 2, fast-sigmoid slope 25, widths 1).
    public static func parse(_ name: String, parameter: Double? = nil) throws -> Surrogate {
        let s: Surrogate
        switch name {
        case "atan": s = .atan(alpha: parameter ?? 2)
        case "fast-sigmoid": s = .fastSigmoid(slope: parameter ?? 25)
        case "rectangular": s = .rectangular(width: parameter ?? 1)
        case "triangular": s = .triangular(width: parameter ?? 1)
        default:
            throw TrainError.badValue(field: "surrogate", expected: "one of \(names.joined(separator: ", "))", found: name)
        }
        if s.problem != nil {
            throw TrainError.badValue(field: "surrogate \(name)", expected: "a positive finite parameter",
                                      found: "\(parameter ?? .nan)")
        }
        return s
    }
}

extension Optimizer {
    /// Names `parse` accepts.
    public static let names = ["sgd", "sgd-nesterov", "adam", "adamw"]

    /// Parses "sgd", "sgd-nesterov" (with `momentum`), "adam" or "adamw" (PyTorch's default betas).
    public static func parse(_ name: String, momentum: Double = 0.9) throws -> Optimizer {
        switch name {
        case "sgd": return .sgd(momentum: momentum, nesterov: false)
        case "sgd-nesterov": return .sgd(momentum: momentum, nesterov: true)
        case "adam": return .adam()
        case "adamw": return .adamW()
        default:
            throw TrainError.badValue(field: "optimizer", expected: "one of \(names.joined(separator: ", "))", found: name)
        }
    }
}

extension LRSchedule {
    /// Names `parse` accepts.
    public static let names = ["constant", "cosine", "step"]

    /// Parses "constant", "cosine" (down to `minimum`) or "step" (×`gamma` every `everyEpochs`).
    public static func parse(_ name: String, minimum: Double = 0, everyEpochs: Int = 10,
                             gamma: Double = 0.1) throws -> LRSchedule {
        switch name {
        case "constant": return .constant
        case "cosine": return .cosine(minimum: minimum)
        case "step": return .step(everyEpochs: everyEpochs, gamma: gamma)
        default:
            throw TrainError.badValue(field: "schedule", expected: "one of \(names.joined(separator: ", "))", found: name)
        }
    }
}

extension BatchNormStats {
    /// Parses `time` or `step`; throws naming the field and the choices.
    public static func parse(_ name: String) throws -> BatchNormStats {
        guard let s = BatchNormStats(rawValue: name) else {
            throw TrainError.badValue(field: "bn-stats", expected: "one of \(allCases.map(\.rawValue).joined(separator: ", "))",
                                      found: name)
        }
        return s
    }
}

extension Loss {
    /// Names `parse` accepts.
    public static let names = ["mean", "tet", "mean+etc", "tet+etc"]

    /// Parses "mean", "tet", "mean+etc" or "tet+etc"; `lambda` weighs and `tau` tempers the etc term.
    public static func parse(_ name: String, lambda: Double = 1, tau: Double = 4) throws -> Loss {
        guard lambda.isFinite && lambda > 0 else {
            throw TrainError.badValue(field: "lambda", expected: "a positive finite number", found: "\(lambda)")
        }
        guard tau.isFinite && tau > 0 else {
            throw TrainError.badValue(field: "tau", expected: "a positive finite number", found: "\(tau)")
        }
        switch name {
        case "mean": return Loss(terms: [.mean(weight: 1)])
        case "tet": return Loss(terms: [.tet(weight: 1)])
        case "mean+etc": return Loss(terms: [.mean(weight: 1), .etc(weight: lambda, tau: tau)])
        case "tet+etc": return Loss(terms: [.tet(weight: 1), .etc(weight: lambda, tau: tau)])
        default: throw TrainError.unknownLoss(name: name, known: names)
        }
    }

    /// "mean", "mean+etc", ...: the terms' names joined by "+".
    public var name: String {
        terms.map { term -> String in
            switch term {
            case .mean: "mean"
            case .tet: "tet"
            case .etc: "etc"
            case .countMSE: "count-mse"
            case .firingRate: "rate"
            }
        }.joined(separator: "+")
    }
}
