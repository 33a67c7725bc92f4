using Minsheng.Domain.Import;
using Minsheng.Domain.Plans;
using Minsheng.Silo.Auth;

namespace Minsheng.Silo.Commands;

/// <summary>
/// The host's one-shot commands: <c>token ROLE [--days N]</c> prints a bearer token; <c>import NOTICE DICTIONARY OUT</c>
/// turns an official notice into a plan file. Anything else starts the service.
/// </summary>
public static class CliCommands
{
    public static async Task<int?> TryRunAsync(string[] args)
    {
        if (args.Length == 0) return null;
        return args[0] switch
        {
            "token" => Token(args[1..]),
            "import" => await Import(args[1..]),
            "migrate" => await Migrate(args[1..]),
            _ => null,
        };
    }

    /// <summary>Applies the PostgreSQL schema for the configured connection string; running it again changes nothing.</summary>
    private static async Task<int> Migrate(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var connection = builder.Configuration.GetConnectionString(Minsheng.Persistence.PostgresConnection.Name);
        if (string.IsNullOrWhiteSpace(connection))
        {
            Console.Error.WriteLine("migrate needs ConnectionStrings:Minsheng (e.g. --ConnectionStrings:Minsheng=\"Host=...;Database=minsheng\")");
            return 2;
        }
        var applied = await new Minsheng.Persistence.SchemaMigrator().MigrateAsync(connection);
        Console.WriteLine(applied.Count == 0 ? "schema is up to date" : $"applied: {string.Join(", ", applied)}");
        return 0;
    }

    /// <summary>
    /// <c>token ROLE [--days N] [--name PERSON]</c>: prints a bearer token. The role's street or department must be one
    /// of the loaded plans' units; the person (<c>sub</c>) is who history and audit lines name beside the role.
    /// </summary>
    private static int Token(string[] args)
    {
        const string usage = "usage: token ROLE [--days N] [--name PERSON]   (ROLE: office | viewer | department:{id} | street:{id})";
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            Console.Error.WriteLine(usage);
            return 2;
        }
        var days = 30;
        string? person = null;
        var rest = new List<string>();
        for (var k = 1; k < args.Length; k++)
        {
            if (args[k] == "--days")
            {
                if (k + 1 >= args.Length || !int.TryParse(args[k + 1], out days) || days is <= 0 or > 3660)
                {
                    Console.Error.WriteLine("--days takes a whole number from 1 to 3660");
                    return 2;
                }
                k++;
            }
            else if (args[k] == "--name")
            {
                if (k + 1 >= args.Length || string.IsNullOrWhiteSpace(args[k + 1]) || args[k + 1].Length > 64
                    || Minsheng.Domain.Limits.TextRules.FirstForbidden(args[k + 1], freeText: false) >= 0)
                {
                    Console.Error.WriteLine("--name takes a person's name of at most 64 characters, without control characters");
                    return 2;
                }
                person = args[++k];
            }
            else
            {
                rest.Add(args[k]);
            }
        }
        var builder = WebApplication.CreateSlimBuilder(rest.ToArray());
        var catalog = Minsheng.Silo.Hosting.PlanCatalogSetup.Load(builder.Configuration, builder.Environment.ContentRootPath);
        if (Caller.Refusal(args[0], catalog) is { } refusal)
        {
            Console.Error.WriteLine($"token: {refusal}");
            Console.Error.WriteLine(usage);
            return 2;
        }
        var key = SigningKeys.Resolve(builder.Configuration, builder.Environment.ContentRootPath);
        Console.WriteLine(TokenIssuer.Issue(key, args[0], TimeSpan.FromDays(days), DateTimeOffset.UtcNow, person));
        return 0;
    }

    /// <summary>
    /// A relative path as the caller meant it: `dotnet run --project` starts the program in the project's folder,
    /// so relative paths are resolved against the shell's working directory (PWD) when it is known.
    /// </summary>
    private static string FromCaller(string path) =>
        Path.IsPathRooted(path) || Environment.GetEnvironmentVariable("PWD") is not { Length: > 0 } pwd ? path : Path.Combine(pwd, path);

    private static async Task<int> Import(string[] args)
    {
        if (args.Length != 3)
        {
            Console.Error.WriteLine("usage: import NOTICE.txt DICTIONARY.import.json OUT.plan.json");
            return 2;
        }
        try
        {
            var (notice, dictionaryFile, output) = (FromCaller(args[0]), FromCaller(args[1]), FromCaller(args[2]));
            var dictionary = ImportDictionary.Parse(await File.ReadAllTextAsync(dictionaryFile), Path.GetFileName(dictionaryFile));
            var result = NoticeImporter.Import(await File.ReadAllTextAsync(notice), dictionary);
            foreach (var warning in result.Warnings) Console.Error.WriteLine($"warning: {warning}");
            await File.WriteAllTextAsync(output, PlanJson.Serialize(result.Plan));
            Console.WriteLine($"{result.Plan.Id}: {result.Plan.Projects.Count} projects, {result.Plan.Tasks.Count} tasks, " +
                $"{result.Plan.Tasks.Sum(t => t.Assignments.Count)} assignments -> {output}");
            return 0;
        }
        catch (Exception e) when (e is PlanFormatException or IOException or InvalidOperationException or FormatException)
        {
            Console.Error.WriteLine($"import failed: {e.Message}");
            return 1;
        }
    }
}
