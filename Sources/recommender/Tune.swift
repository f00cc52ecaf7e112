import ArgumentParser
import Foundation
import RecCore
import RecModels

/// `recommender tune`: hyper-parameter search on a validation split carved from the training file only.
struct Tune: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Search a model's hyper-parameters on a validation split of the training data and write the best as a parameter file.",
        discussion: """
        The validation side is carved from --train (--validation, default random:0.2:7; cold-items ranks among the \
        held-out items only); a test file is never read. --item-features and --user-features attach features by id, \
        as for eval. Random trials come first, then a TPE-like search. Every trial prints a line; the best is written \
        to --output, which `recommender eval --params` reads back.
        """
    )

    @OptionGroup var options: ExperimentOptions

    @Option(help: "Validation split carved from --train: \(Split.syntax).")
    var validation: String = "random:0.2:7"

    @Option(help: "A test split to set aside first (as eval --split makes it): tuning then sees only its training side.")
    var testSplit: String?

    @Option(help: "Number of trials.")
    var trials: Int = 20

    @Option(help: "Metric to maximise: recall or ndcg.")
    var metric: String = "recall"

    @Option(help: "Comma-separated parameters to search (default: the model's usual ones, minus any fixed with --param).")
    var search: String?

    @Option(name: .customLong("range"), help: ArgumentHelp("Search a parameter over LOW:HIGH instead of its default range (repeatable).", valueName: "name=LOW:HIGH"))
    var range: [String] = []

    @Option(help: "Where to write the best parameters as JSON.")
    var output: String?

    func validate() throws {
        try options.validateCommon()
        guard options.test == nil else { throw ValidationError("tune never reads a test set: drop --test and let --validation carve one from --train") }
        guard trials >= 1 else { throw ValidationError("--trials must be at least 1") }
    }

    func run() throws {
        let (model, _, file) = try options.resolvedModel()
        var fixed = try options.parameterOverrides()
        let names = search.map { $0.split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) } }
            ?? model.parameters.filter(\.tuned).map(\.name)
        // A --params file's values are held fixed for every parameter not searched; --param wins over both.
        for (name, value) in file?.params ?? [:] where fixed[name] == nil && !names.contains(name) {
            fixed[name] = value
        }
        var ranges: [String: ClosedRange<Double>] = [:]
        for text in range {
            let parts = text.split(separator: "=", maxSplits: 1)
            let bounds = parts.count == 2 ? parts[1].split(separator: ":").compactMap { Double($0) } : []
            guard parts.count == 2, bounds.count == 2, bounds[0] <= bounds[1] else {
                throw ValidationError("--range \(text): expected name=LOW:HIGH")
            }
            ranges[String(parts[0])] = bounds[0]...bounds[1]
        }
        let tuner = try Tuner(model: model, fixed: fixed, searched: names, ranges: ranges, trials: trials, k: options.k, metric: metric, seed: options.seed)
        var loader = DatasetLoader()
        let features = try options.featureFiles()
        var full = options.attach(features, to: try loader.load(path: options.train, format: try options.datasetFormat()))
        if let testSplit {
            // The test side is dropped here and never read again.
            full = try Split(parsing: testSplit).apply(to: full).train
        }
        let split = try Split(parsing: validation)
        let (train, held) = split.apply(to: full)
        let candidates = split.candidates(test: held)
        let ranked = candidates.map { mask in " (ranked among the \(mask.filter { $0 }.count) held-out items)" } ?? ""
        Console.note("tuning \(model.name) on \(train.interactions.count) training / \(held.interactions.count) validation interactions\(ranked); searching \(tuner.searched.map(\.name).joined(separator: ", "))")
        let k = options.k
        let all: [Tuner.Trial]
        do {
            all = try tuner.run(train: train, validation: held, candidates: candidates, threads: options.threads) { trial in
                let shown = tuner.searched.map { "\($0.name)=\(Self.shown(trial.parameters[$0.name]))" }.joined(separator: " ")
                Console.out("trial \(trial.number)/\(trials) \(shown) recall@\(k)=\(Console.fixed(trial.result.recall)) ndcg@\(k)=\(Console.fixed(trial.result.ndcg)) train_seconds=\(Console.fixed(trial.trainSeconds, 1))")
            }
        } catch {
            throw CommandFailure(error.description)
        }
        guard let best = all.max(by: { $0.score < $1.score }) else { return }
        let chosen = ParameterFile(
            model: model,
            params: best.parameters.values.mapValues(Self.rounded),
            k: k, split: split.description,
            validation: best.result.metrics.merging(["train_seconds": best.trainSeconds]) { a, _ in a },
            trials: trials
        )
        Console.out("best trial \(best.number): recall@\(k)=\(Console.fixed(best.result.recall)) ndcg@\(k)=\(Console.fixed(best.result.ndcg))")
        Console.out(chosen.json(), newline: false)
        if let output {
            try chosen.json().write(toFile: output, atomically: true, encoding: .utf8)
            Console.note("wrote \(output)")
        }
    }

    /// A value as printed in trial lines.
    static func shown(_ value: Double) -> String {
        value.rounded() == value ? ModelParameters.format(value) : String(format: "%.4g", value)
    }

    /// Four significant digits, so parameter files stay readable.
    static func rounded(_ value: Double) -> Double {
        guard value != 0, value.isFinite else { return value }
        let magnitude = pow(10, floor(log10(abs(value))) - 3)
        return (value / magnitude).rounded() * magnitude
    }
}
