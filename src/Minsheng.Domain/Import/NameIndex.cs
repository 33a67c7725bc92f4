using Minsheng.Domain.Plans;

namespace Minsheng.Domain.Import;

/// <summary>Looks up the ids of the Chinese names the notice uses, from the import dictionary.</summary>
internal sealed class NameIndex
{
    private readonly Dictionary<string, string> streets;
    private readonly Dictionary<string, string> departments;
    private readonly Dictionary<string, string> leaders;

    public NameIndex(ImportDictionary dictionary)
    {
        streets = Index(dictionary.Streets, "street");
        departments = Index(dictionary.Departments, "department");
        leaders = Index(dictionary.Leaders, "leader");
    }

    /// <summary>The id of a street by its short name; <paramref name="where"/> names the place asking.</summary>
    public string StreetId(string name, string where) => Find(streets, name, "street", where);

    /// <summary>The id of a department by its name.</summary>
    public string DepartmentId(string name, string where) => Find(departments, name, "department", where);

    /// <summary>The id of a leader by name.</summary>
    public string LeaderId(string name, string where) => Find(leaders, name, "leader", where);

    private static Dictionary<string, string> Index(IReadOnlyList<NamedUnit> units, string kind)
    {
        var index = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var unit in units)
        {
            if (!index.TryAdd(NoticeText.Normalize(unit.Name), unit.Id))
            {
                throw new NoticeImportException($"import dictionary: {kind} name “{unit.Name}” is listed twice");
            }
        }

        return index;
    }

    private static string Find(Dictionary<string, string> index, string name, string kind, string where) =>
        index.TryGetValue(NoticeText.Normalize(name), out var id)
            ? id
            : throw new NoticeImportException($"{where}: {kind} “{name}” is not in the import dictionary");
}
