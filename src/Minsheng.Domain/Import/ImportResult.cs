using Minsheng.Domain.Plans;

namespace Minsheng.Domain.Import;

/// <summary>
/// What an import produced: the plan, and warnings about things the notice says inconsistently but that the
/// importer could settle (e.g. attachment 1 and attachment 2 stating different numbers; attachment 2 rules).
/// </summary>
public sealed record ImportResult(Plan Plan, IReadOnlyList<string> Warnings);
