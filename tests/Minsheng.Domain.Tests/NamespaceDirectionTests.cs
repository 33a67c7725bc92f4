using System.Reflection;
using Minsheng.Domain.Progress;

namespace Minsheng.Domain.Tests;

/// <summary>
/// Supervision builds on progress, never the reverse: statuses, schedules, milestones and the plan's timeline live in
/// <c>Minsheng.Domain.Progress</c>, and nothing there may name a type of <c>Minsheng.Domain.Supervision</c>.
/// </summary>
public sealed class NamespaceDirectionTests
{
    private const string Lower = "Minsheng.Domain.Progress";
    private const string Upper = "Minsheng.Domain.Supervision";

    [Fact]
    public void Progress_types_do_not_reference_supervision_types()
    {
        var offenders = typeof(ProgressFact).Assembly.GetTypes()
            .Where(t => t.Namespace == Lower)
            .SelectMany(t => SignatureTypes(t).Where(r => r.Namespace == Upper).Select(r => $"{t.FullName} -> {r.FullName}"))
            .Distinct()
            .ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void Progress_sources_do_not_use_the_supervision_namespace()
    {
        var folder = Path.Combine(RepoFiles.Root, "src", "Minsheng.Domain", "Progress");
        var offenders = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => File.ReadLines(f).Any(l => l.Contains(Upper, StringComparison.Ordinal) || l.Contains("Supervision.", StringComparison.Ordinal)))
            .Select(f => Path.GetRelativePath(RepoFiles.Root, f))
            .ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void Supervision_does_use_progress_so_the_test_above_guards_a_real_direction() =>
        Assert.Contains(typeof(ProgressFact).Assembly.GetTypes().Where(t => t.Namespace == Upper).SelectMany(SignatureTypes),
            r => r.Namespace == Lower);

    /// <summary>Every type a type's declaration names: base, interfaces, fields, properties, method and constructor signatures, generic arguments.</summary>
    private static IEnumerable<Type> SignatureTypes(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var named = new List<Type?> { type.BaseType };
        named.AddRange(type.GetInterfaces());
        named.AddRange(type.GetFields(all).Select(f => f.FieldType));
        named.AddRange(type.GetProperties(all).Select(p => p.PropertyType));
        foreach (var method in type.GetMethods(all))
        {
            named.Add(method.ReturnType);
            named.AddRange(method.GetParameters().Select(p => p.ParameterType));
        }
        foreach (var constructor in type.GetConstructors(all)) named.AddRange(constructor.GetParameters().Select(p => p.ParameterType));
        return named.OfType<Type>().SelectMany(Expand).Distinct();
    }

    private static IEnumerable<Type> Expand(Type type)
    {
        if (type.HasElementType) return Expand(type.GetElementType()!);
        return type.IsGenericType ? type.GetGenericArguments().SelectMany(Expand).Prepend(type) : [type];
    }
}
