import ArgumentParser
import Foundation
import RecCore
import RecModels

/// Options `eval` and `tune` share: the data, the model and how to run.
struct ExperimentOptions: ParsableArguments {
    @Option(help: "Training interactions file.")
    var train: String

    @Option(help: "Test interactions file (same ids). Without it, --split carves the test side out of --train.")
    var test: String?

    @Option(help: "File format: lightgcn (user item item ...), movielens (u.data) or csv (user,item[,weight[,timestamp]]).")
    var format: String = "lightgcn"

    @Option(help: "Model: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", ")), or content (eval and tune only: IDF-weighted item feature tokens, needs --item-features).")
    var model: String?

    @Option(help: ArgumentHelp("Item features as NDJSON, one item a line as POST /api/v1/imports?type=items takes it (item_id, title, category, tags, properties); matched by item id.", valueName: "file"))
    var itemFeatures: String?

    @Option(help: ArgumentHelp("User features as NDJSON, one user a line as POST /api/v1/imports?type=users takes it (user_id, properties); matched by user id.", valueName: "file"))
    var userFeatures: String?

    @Option(name: .customLong("param"), help: ArgumentHelp("A parameter as name=value (repeatable; wins over --params).", valueName: "name=value"))
    var param: [String] = []

    @Option(help: "A JSON parameter file (as written by tune).")
    var params: String?

    @Option(help: "Cut-off K for the metrics.")
    var k: Int = 20

    @Option(help: "Worker threads (default: every core).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Seed for initialisation and sampling.")
    var seed: UInt64 = 42

    /// Loads the parameter file (if any) and the `--param` overrides, and validates them for the model.
    func resolvedModel() throws -> (model: OfflineModel, parameters: ModelParameters, file: ParameterFile?) {
        let file = try params.map { path throws(RecError) in try ParameterFile.read(path: path) }
        guard let name = model ?? file?.model?.name else {
            throw ValidationError("--model is required (or a --params file that names one)")
        }
        guard let chosen = OfflineModel(name: name) else {
            throw ValidationError("--model must be one of \(OfflineModel.allCases.map(\.name).joined(separator: ", "))")
        }
        if let fileModel = file?.model, fileModel != chosen {
            throw ValidationError("--params is for \(fileModel.name), not \(chosen.name)")
        }
        if chosen.needsItemFeatures, itemFeatures == nil {
            throw ValidationError("\(chosen.name) needs --item-features FILE (the items as NDJSON, as imports take them)")
        }
        let given = (file?.params ?? [:]).merging(try parameterOverrides()) { _, override in override }
        return (chosen, try chosen.validate(given), file)
    }

    /// The `--item-features` and `--user-features` files by id (empty when not given), read and checked.
    func featureFiles() throws -> (items: [String: EntityFeatures], users: [String: EntityFeatures]) {
        let items = try itemFeatures.map { path throws(RecError) in try FeatureFile.read(path: path, kind: .items) } ?? [:]
        let users = try userFeatures.map { path throws(RecError) in try FeatureFile.read(path: path, kind: .users) } ?? [:]
        return (items, users)
    }

    /// `dataset` with the features attached by external id; prints how many items and users got features.
    func attach(_ features: (items: [String: EntityFeatures], users: [String: EntityFeatures]), to dataset: Dataset) -> Dataset {
        guard itemFeatures != nil || userFeatures != nil else { return dataset }
        let attached = dataset.withFeatures(items: features.items, users: features.users)
        if let path = itemFeatures {
            let matched = dataset.itemIDs.filter { features.items[$0] != nil }.count
            Console.note("item features: \(matched) of \(dataset.itemCount) items matched, of \(features.items.count) ids in \(path)")
        }
        if let path = userFeatures {
            let matched = dataset.userIDs.filter { features.users[$0] != nil }.count
            Console.note("user features: \(matched) of \(dataset.userCount) users matched, of \(features.users.count) ids in \(path)")
        }
        return attached
    }

    /// The `--param name=value` pairs, checked to be numbers.
    func parameterOverrides() throws -> [String: Double] {
        var values: [String: Double] = [:]
        for pair in param {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = Double(parts[1]) else {
                throw ValidationError("--param \(pair): expected name=number")
            }
            values[parts[0]] = value
        }
        return values
    }

    /// The format, checked.
    func datasetFormat() throws -> DatasetFormat {
        guard let value = DatasetFormat(rawValue: format) else {
            throw ValidationError("--format must be one of \(DatasetFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    /// Checks the numbers.
    func validateCommon() throws {
        guard k >= 1 else { throw ValidationError("--k must be at least 1") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }
}

/// A run that could not finish (printed as `Error: …` without the usage text, exit status 1).
struct CommandFailure: Error, CustomStringConvertible {
    /// What went wrong.
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Prints progress and figures to standard error while the result goes to standard output.
enum Console {
    /// Writes one line to standard error.
    static func note(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Writes one line to standard output, unbuffered (so trials show as they finish).
    static func out(_ line: String, newline: Bool = true) {
        FileHandle.standardOutput.write(Data((newline ? line + "\n" : line).utf8))
    }

    /// The process's peak resident memory in MiB (VmHWM), or nil where /proc is missing.
    static func peakResidentMiB() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.split(separator: " ").dropFirst().first.flatMap { Double($0) }
            return digits.map { $0 / 1024 }
        }
        return nil
    }

    /// A number with `places` decimals.
    static func fixed(_ value: Double, _ places: Int = 4) -> String {
        String(format: "%.\(places)f", value)
    }
}
