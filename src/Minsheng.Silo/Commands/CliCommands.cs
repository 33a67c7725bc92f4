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
        var connection = builder.Configuration.GetConnectionString(Minsheng.Silo.Hosting.PostgresConnection.Name);
        if (string.IsNullOrWhiteSpace(connection))
        {
            Console.Error.WriteLine("migrate needs ConnectionStrings:Minsheng (e.g. --ConnectionStrings:Minsheng=\"Host=...;Database=minsheng\")");
            return 2;
        }
        var applied = await new Minsheng.Persistence.SchemaMigrator().MigrateAsync(connection);
        Console.WriteLine(applied.Count == 0 ? "schema is up to date" : $"applied: {string.Join(", ", applied)}");
        return 0;
    }

    private static int Token(string[] args)
    {
        if (args.Length == 0 || Caller.Parse(args[0]) is null)
        {
            Console.Error.WriteLine("usage: token ROLE [--days N]   (ROLE: office | viewer | department:{id} | street:{id})");
            return 2;
        }
        var days = 30;
        var i = Array.IndexOf(args, "--days");
        if (i >= 0 && (i + 1 >= args.Length || !int.TryParse(args[i + 1], out days) || days <= 0))
        {
            Console.Error.WriteLine("--days takes a positive whole number");
            return 2;
        }
        var builder = WebApplication.CreateSlimBuilder(args.Where((_, k) => k != 0 && k != i && k != i + 1).ToArray());
        var key = SigningKeys.Resolve(builder.Configuration, builder.Environment.ContentRootPath);
        Console.WriteLine(TokenIssuer.Issue(key, args[0], TimeSpan.FromDays(days), DateTimeOffset.UtcNow));
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
