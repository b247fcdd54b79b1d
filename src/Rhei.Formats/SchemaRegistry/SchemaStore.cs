using System.Collections.Concurrent;

namespace Rhei.Formats.SchemaRegistry;

/// <summary>
/// The registry's state and rules: subjects and their versions, global schema ids (one id per distinct definition,
/// reused across subjects), soft and hard deletes, compatibility levels and checks. Reads are lock-free; changes are
/// serialized, written to the log first (<see cref="SchemaStoreLog"/>, the <c>_schemas</c> topic) and applied after,
/// so the state is always what the log replays to. Without a log the store lives in memory only.
/// </summary>
public sealed class SchemaStore
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<string, SubjectState> _subjects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, SchemaDefinition> _byId = new();
    private readonly ConcurrentDictionary<SchemaDefinition, int> _idByDefinition = new();
    private readonly ConcurrentDictionary<int, ParsedSchema> _parsed = new();
    private readonly SchemaStoreLog? _log;
    private CompatibilityLevel? _globalLevel;
    private int _maxId;

    /// <param name="log">Where changes are persisted; null keeps everything in memory.</param>
    /// <param name="defaultCompatibility">The global level when none was set (Confluent's default is BACKWARD).</param>
    public SchemaStore(SchemaStoreLog? log = null, CompatibilityLevel defaultCompatibility = CompatibilityLevel.Backward)
    {
        _log = log;
        DefaultCompatibility = defaultCompatibility;
    }

    public CompatibilityLevel DefaultCompatibility { get; }

    /// <summary>Replays the log (when there is one) into the store. Call once before use.</summary>
    public async ValueTask StartAsync(CancellationToken cancellationToken = default)
    {
        if (_log is null)
        {
            return;
        }

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await _log.ReplayAsync(Apply, cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    // ---- reads ----

    /// <summary>Subjects with at least one live version (or any version when <paramref name="includeDeleted"/>), sorted.</summary>
    public IReadOnlyList<string> GetSubjects(bool includeDeleted = false, string? prefix = null) =>
        [.. _subjects.Where(s => (prefix is null || s.Key.StartsWith(prefix, StringComparison.Ordinal)) && s.Value.HasVersions(includeDeleted))
            .Select(s => s.Key)
            .Order(StringComparer.Ordinal)];

    /// <exception cref="SchemaRegistryException">40401 when the subject has no (live) versions.</exception>
    public IReadOnlyList<int> GetVersions(string subject, bool includeDeleted = false)
    {
        var state = LiveSubject(subject, includeDeleted);
        return state.Snapshot().Where(v => includeDeleted || !v.Deleted).Select(v => v.Version).ToList();
    }

    /// <summary>A version; <paramref name="version"/> -1 is the latest.</summary>
    /// <exception cref="SchemaRegistryException">40401 subject not found, 40402 version not found.</exception>
    public RegisteredSchema GetVersion(string subject, int version, bool includeDeleted = false)
    {
        var state = LiveSubject(subject, includeDeleted);
        var versions = state.Snapshot();
        if (version == -1)
        {
            var latest = versions.LastOrDefault(v => includeDeleted || !v.Deleted);
            return latest ?? throw SchemaRegistryException.SubjectNotFound(subject);
        }

        var found = versions.FirstOrDefault(v => v.Version == version);
        if (found is null || (found.Deleted && !includeDeleted))
        {
            throw SchemaRegistryException.VersionNotFound(version);
        }

        return found;
    }

    /// <summary>The latest live version of a subject, or null when there is none.</summary>
    public RegisteredSchema? TryGetLatest(string subject) =>
        _subjects.TryGetValue(subject, out var state) ? state.Snapshot().LastOrDefault(v => !v.Deleted) : null;

    /// <exception cref="SchemaRegistryException">40403 when no schema has this id.</exception>
    public SchemaDefinition GetById(int id) =>
        _byId.TryGetValue(id, out var definition) ? definition : throw SchemaRegistryException.SchemaIdNotFound(id);

    public bool TryGetById(int id, out SchemaDefinition definition) => _byId.TryGetValue(id, out definition!);

    /// <summary>The parsed schema of an id (parsed once, cached).</summary>
    public ParsedSchema GetParsedById(int id) =>
        _parsed.GetOrAdd(id, static (i, self) => SchemaParser.Parse(self.GetById(i), self.ResolveReference), this);

    /// <summary>The (subject, version) pairs that use an id.</summary>
    public IReadOnlyList<(string Subject, int Version)> GetSubjectVersionsById(int id, bool includeDeleted = false)
    {
        GetById(id);
        return [.. _subjects.OrderBy(s => s.Key, StringComparer.Ordinal)
            .SelectMany(s => s.Value.Snapshot())
            .Where(v => v.Id == id && (includeDeleted || !v.Deleted))
            .Select(v => (v.Subject, v.Version))];
    }

    /// <summary>Ids of the live schemas that reference this version.</summary>
    public IReadOnlyList<int> GetReferencedBy(string subject, int version)
    {
        var target = GetVersion(subject, version);
        return [.. _subjects.Values.SelectMany(s => s.Snapshot())
            .Where(v => !v.Deleted && v.References.Any(r => r.Subject == subject && r.Version == target.Version))
            .Select(v => v.Id)
            .Distinct()
            .Order()];
    }

    /// <summary>Finds the live version of a subject with this definition.</summary>
    /// <exception cref="SchemaRegistryException">40401 subject not found, 40403 schema not found, 42201 invalid schema.</exception>
    public RegisteredSchema Lookup(string subject, SchemaDefinition definition, bool includeDeleted = false)
    {
        var state = LiveSubject(subject, includeDeleted);
        var parsed = SchemaParser.Parse(definition, ResolveReference);
        var match = FindSameSchema(state, definition, parsed, includeDeleted);
        return match ?? throw SchemaRegistryException.SchemaNotFound();
    }

    /// <summary>The subject's own level, or null when it follows the global one.</summary>
    public CompatibilityLevel? GetSubjectCompatibility(string subject) =>
        _subjects.TryGetValue(subject, out var state) ? state.Level : null;

    public CompatibilityLevel GetGlobalCompatibility() => _globalLevel ?? DefaultCompatibility;

    /// <summary>The level that applies to a subject.</summary>
    public CompatibilityLevel GetEffectiveCompatibility(string subject) => GetSubjectCompatibility(subject) ?? GetGlobalCompatibility();

    /// <summary>
    /// Why <paramref name="definition"/> could not be registered under <paramref name="subject"/> with its rule
    /// (empty when it could), checked against <paramref name="version"/> (-1 latest) or, when null, against the versions
    /// the rule names.
    /// </summary>
    public IReadOnlyList<string> CheckCompatibility(string subject, SchemaDefinition definition, int? version = null, CompatibilityLevel? level = null)
    {
        var parsed = SchemaParser.Parse(definition, ResolveReference);
        var effective = level ?? GetEffectiveCompatibility(subject);
        IReadOnlyList<RegisteredSchema> against;
        if (version is { } v)
        {
            against = [GetVersion(subject, v)];
        }
        else
        {
            var live = _subjects.TryGetValue(subject, out var state) ? state.Snapshot().Where(x => !x.Deleted).ToList() : [];
            against = effective.IsTransitive() ? live : live.Count > 0 ? [live[^1]] : [];
        }

        return FindIncompatibilities(subject, parsed, against, effective);
    }

    // ---- changes ----

    /// <summary>
    /// Registers <paramref name="definition"/> under <paramref name="subject"/> and returns its id: the existing
    /// version's id when the subject already has this schema; otherwise a new version after the compatibility check,
    /// with the id of an equal definition registered elsewhere, or a new id. <paramref name="requestedId"/> imports a
    /// schema with a given id (it must be free or already hold an equal definition).
    /// </summary>
    /// <exception cref="SchemaRegistryException">42201 invalid schema, 409 incompatible.</exception>
    public async ValueTask<RegisteredSchema> RegisterAsync(string subject, SchemaDefinition definition, int? requestedId = null, CancellationToken cancellationToken = default)
    {
        ValidateSubject(subject);
        var parsed = SchemaParser.Parse(definition, ResolveReference);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var state = _subjects.GetOrAdd(subject, static s => new SubjectState(s));
            var existing = FindSameSchema(state, definition, parsed, includeDeleted: false);
            if (existing is not null && (requestedId is null || requestedId == existing.Id))
            {
                return existing;
            }

            var level = GetEffectiveCompatibility(subject);
            var live = state.Snapshot().Where(v => !v.Deleted).ToList();
            var against = level.IsTransitive() ? live : live.Count > 0 ? [live[^1]] : [];
            var problems = FindIncompatibilities(subject, parsed, against, level);
            if (problems.Count > 0)
            {
                var latest = live[^1];
                throw SchemaRegistryException.Incompatible(
                    $"Schema being registered is incompatible with an earlier schema for subject \"{subject}\", details: [" +
                    string.Join(", ", problems.Select(p => "{" + p + "}")) +
                    $", {{oldSchemaVersion: {latest.Version}}}, {{compatibility: '{level.Name()}'}}]");
            }

            int id;
            if (requestedId is { } wanted)
            {
                if (wanted <= 0)
                {
                    throw SchemaRegistryException.InvalidSchema($"Invalid schema id {wanted}: ids are positive");
                }

                if (_byId.TryGetValue(wanted, out var holder) && !holder.Equals(definition))
                {
                    throw new SchemaRegistryException(422, 42207, $"Overwrite new schema with id {wanted} is not permitted: the id holds another schema.");
                }

                id = wanted;
            }
            else
            {
                id = _idByDefinition.TryGetValue(definition, out var known) ? known : FindIdOfCanonical(parsed) ?? _maxId + 1;
            }

            var version = state.MaxVersion + 1;
            var registered = new RegisteredSchema(subject, version, id, definition);
            await AppendAsync([new SchemaLogRecord.Schema(registered)], cancellationToken);
            _parsed.TryAdd(id, parsed);
            return registered;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Deletes a subject's versions: soft (they stay readable with <c>deleted=true</c>) or, when
    /// <paramref name="permanent"/>, hard (only after a soft delete). Returns the versions deleted.
    /// </summary>
    public async ValueTask<IReadOnlyList<int>> DeleteSubjectAsync(string subject, bool permanent, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (!_subjects.TryGetValue(subject, out var state) || !state.HasVersions(includeDeleted: true))
            {
                throw SchemaRegistryException.SubjectNotFound(subject);
            }

            var versions = state.Snapshot();
            if (permanent)
            {
                if (versions.Any(v => !v.Deleted))
                {
                    throw SchemaRegistryException.SubjectNotSoftDeleted(subject);
                }

                CheckNotReferenced(subject, versions);
                await AppendAsync([.. versions.Select(v => new SchemaLogRecord.SchemaTombstone(subject, v.Version))], cancellationToken);
                return [.. versions.Select(v => v.Version)];
            }

            var live = versions.Where(v => !v.Deleted).ToList();
            if (live.Count == 0)
            {
                throw SchemaRegistryException.SubjectSoftDeleted(subject);
            }

            CheckNotReferenced(subject, live);
            await AppendAsync([.. live.Select(v => new SchemaLogRecord.Schema(v with { Deleted = true }))], cancellationToken);
            return [.. live.Select(v => v.Version)];
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Deletes one version (-1 the latest), soft or hard (hard only after soft). Returns the version deleted.</summary>
    public async ValueTask<int> DeleteVersionAsync(string subject, int version, bool permanent, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var target = GetVersion(subject, version, includeDeleted: permanent || version != -1);
            if (permanent)
            {
                if (!target.Deleted)
                {
                    throw SchemaRegistryException.VersionNotSoftDeleted(subject, target.Version);
                }

                CheckNotReferenced(subject, [target]);
                await AppendAsync([new SchemaLogRecord.SchemaTombstone(subject, target.Version)], cancellationToken);
                return target.Version;
            }

            if (target.Deleted)
            {
                throw SchemaRegistryException.VersionSoftDeleted(subject, target.Version);
            }

            CheckNotReferenced(subject, [target]);
            await AppendAsync([new SchemaLogRecord.Schema(target with { Deleted = true })], cancellationToken);
            return target.Version;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Sets (or, with null, clears) a subject's level; a null subject is the global level.</summary>
    public async ValueTask SetCompatibilityAsync(string? subject, CompatibilityLevel? level, CancellationToken cancellationToken = default)
    {
        if (subject is not null)
        {
            ValidateSubject(subject);
        }

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await AppendAsync([new SchemaLogRecord.Config(subject, level)], cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    // ---- applying the log ----

    /// <summary>Applies one change (from the log, or after writing it). Later records win, as in a compacted topic.</summary>
    internal void Apply(SchemaLogRecord record)
    {
        switch (record)
        {
            case SchemaLogRecord.Schema { Value: var schema }:
                {
                    var state = _subjects.GetOrAdd(schema.Subject, static s => new SubjectState(s));
                    state.Put(schema);
                    _byId.TryAdd(schema.Id, schema.Definition);
                    _idByDefinition.TryAdd(schema.Definition, schema.Id);
                    if (schema.Id > _maxId)
                    {
                        _maxId = schema.Id;
                    }

                    break;
                }

            case SchemaLogRecord.SchemaTombstone(var subject, var version):
                if (_subjects.TryGetValue(subject, out var subjectState) && subjectState.Remove(version) is { } removed)
                {
                    ForgetIdIfUnused(removed.Id);
                }

                break;
            case SchemaLogRecord.Config(null, var level):
                _globalLevel = level;
                break;
            case SchemaLogRecord.Config(var subject, var level):
                _subjects.GetOrAdd(subject!, static s => new SubjectState(s)).Level = level;
                break;
        }
    }

    private async ValueTask AppendAsync(IReadOnlyList<SchemaLogRecord> records, CancellationToken cancellationToken)
    {
        if (_log is not null)
        {
            await _log.AppendAsync(records, cancellationToken);
        }

        foreach (var record in records)
        {
            Apply(record);
        }
    }

    private void ForgetIdIfUnused(int id)
    {
        if (_subjects.Values.Any(s => s.Snapshot().Any(v => v.Id == id)))
        {
            return;
        }

        if (_byId.TryRemove(id, out var definition))
        {
            _idByDefinition.TryRemove(definition, out _);
        }

        _parsed.TryRemove(id, out _);
    }

    private SchemaDefinition? ResolveReference(SchemaReference reference)
    {
        try
        {
            return GetVersion(reference.Subject, reference.Version, includeDeleted: true).Definition;
        }
        catch (SchemaRegistryException)
        {
            return null;
        }
    }

    private RegisteredSchema? FindSameSchema(SubjectState state, SchemaDefinition definition, ParsedSchema parsed, bool includeDeleted)
    {
        RegisteredSchema? match = null;
        foreach (var v in state.Snapshot())
        {
            if (v.Deleted && !includeDeleted)
            {
                continue;
            }

            if (v.Definition.Equals(definition) || (v.Type == definition.Type && v.References.SequenceEqual(definition.References) && ParsedOf(v).Canonical == parsed.Canonical))
            {
                match = v;
            }
        }

        return match;
    }

    private int? FindIdOfCanonical(ParsedSchema parsed)
    {
        foreach (var (id, definition) in _byId)
        {
            if (definition.Type == parsed.Type && GetParsedById(id).Canonical == parsed.Canonical)
            {
                return id;
            }
        }

        return null;
    }

    private ParsedSchema ParsedOf(RegisteredSchema schema) => GetParsedById(schema.Id);

    private List<string> FindIncompatibilities(string subject, ParsedSchema candidate, IReadOnlyList<RegisteredSchema> against, CompatibilityLevel level)
    {
        var problems = new List<string>();
        if (level == CompatibilityLevel.None)
        {
            return problems;
        }

        foreach (var previous in against)
        {
            if (previous.Type != candidate.Type)
            {
                problems.Add($"errorType:'TYPE_MISMATCH', description:'The new schema is of type {candidate.Type.Name()}; version {previous.Version} of subject '{subject}' is {previous.Type.Name()}'");
                continue;
            }

            var old = ParsedOf(previous);
            if (level.ChecksBackward())
            {
                problems.AddRange(candidate.FindReadProblems(old).Select(p => $"{p}, direction:'BACKWARD', oldVersion:{previous.Version}"));
            }

            if (level.ChecksForward())
            {
                problems.AddRange(old.FindReadProblems(candidate).Select(p => $"{p}, direction:'FORWARD', oldVersion:{previous.Version}"));
            }
        }

        return problems;
    }

    private void CheckNotReferenced(string subject, IEnumerable<RegisteredSchema> versions)
    {
        foreach (var v in versions)
        {
            var referrers = _subjects.Values.SelectMany(s => s.Snapshot())
                .Where(x => !x.Deleted && x.References.Any(r => r.Subject == subject && r.Version == v.Version))
                .ToList();
            if (referrers.Count > 0)
            {
                throw SchemaRegistryException.ReferenceExists(
                    $"{subject} version {v.Version} (referenced by {string.Join(", ", referrers.Select(r => $"{r.Subject} version {r.Version}"))})");
            }
        }
    }

    private SubjectState LiveSubject(string subject, bool includeDeleted)
    {
        if (_subjects.TryGetValue(subject, out var state) && state.HasVersions(includeDeleted))
        {
            return state;
        }

        throw SchemaRegistryException.SubjectNotFound(subject);
    }

    private static void ValidateSubject(string subject)
    {
        if (string.IsNullOrWhiteSpace(subject) || subject.Any(char.IsControl))
        {
            throw new SchemaRegistryException(422, 42208, $"The specified subject '{subject}' is not a valid subject name.");
        }
    }

    /// <summary>The versions of one subject (copy-on-write list, sorted by version).</summary>
    private sealed class SubjectState(string subject)
    {
        private RegisteredSchema[] _versions = [];

        public string Subject { get; } = subject;

        public CompatibilityLevel? Level { get; set; }

        /// <summary>The highest version number ever seen here (numbers are not reused after soft deletes).</summary>
        public int MaxVersion { get; private set; }

        public RegisteredSchema[] Snapshot() => Volatile.Read(ref _versions);

        public bool HasVersions(bool includeDeleted) => Snapshot().Any(v => includeDeleted || !v.Deleted);

        public void Put(RegisteredSchema schema)
        {
            var list = Snapshot().Where(v => v.Version != schema.Version).Append(schema).OrderBy(v => v.Version).ToArray();
            MaxVersion = Math.Max(MaxVersion, schema.Version);
            Volatile.Write(ref _versions, list);
        }

        public RegisteredSchema? Remove(int version)
        {
            var current = Snapshot();
            var removed = current.FirstOrDefault(v => v.Version == version);
            if (removed is not null)
            {
                Volatile.Write(ref _versions, current.Where(v => v.Version != version).ToArray());
                MaxVersion = current.Length == 1 ? 0 : Math.Max(0, current.Where(v => v.Version != version).Max(v => v.Version));
            }

            return removed;
        }
    }
}
