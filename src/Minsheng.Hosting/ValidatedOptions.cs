using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Minsheng.Hosting;

/// <summary>
/// Settings bound from configuration with the options pattern and checked by the rules written beside each options
/// class (an <see cref="IValidateOptions{TOptions}"/>), so a wrong setting stops the host at start with a message
/// naming its full key, instead of surfacing on the first request that reads it.
/// </summary>
public static class ValidatedOptions
{
    /// <summary>Binds <typeparamref name="T"/> to <paramref name="section"/>, checks it with <typeparamref name="TRules"/>, and fails the start when a rule is broken.</summary>
    public static OptionsBuilder<T> AddValidatedOptions<T, TRules>(this IServiceCollection services, string section)
        where T : class
        where TRules : class, IValidateOptions<T>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>, TRules>());
        return services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>
    /// The same for a setup handed its <paramref name="configuration"/> (a feature's services added to any collection,
    /// as tests do): bound from that configuration's <paramref name="section"/> rather than the host's.
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T, TRules>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class
        where TRules : class, IValidateOptions<T>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>, TRules>());
        return services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateOnStart();
    }

    /// <summary>
    /// The same settings for builder code that must decide before the host exists (which storage provider or listen
    /// address to configure): bound once per builder, checked by the same rules as the registered options, and kept, so
    /// every early reader sees one value.
    /// </summary>
    public static T ReadEarly<T, TRules>(this IHostApplicationBuilder builder, string section)
        where T : class, new()
        where TRules : IValidateOptions<T>, new()
    {
        if (builder.Properties.TryGetValue(typeof(T), out var held)) return (T)held;
        var options = Read<T, TRules>(builder.Configuration, section);
        builder.Properties[typeof(T)] = options;
        return options;
    }

    /// <summary>
    /// The settings for code without a host at all (the commands): bound from <paramref name="configuration"/> and
    /// checked by the same rules. A value the binder cannot convert fails naming its key, as does a broken rule.
    /// </summary>
    public static T Read<T, TRules>(IConfiguration configuration, string section)
        where T : class, new()
        where TRules : IValidateOptions<T>, new()
    {
        var options = new T();
        configuration.GetSection(section).Bind(options);
        var result = new TRules().Validate(Options.DefaultName, options);
        if (result.Failed) throw new OptionsValidationException(Options.DefaultName, typeof(T), result.Failures);
        return options;
    }

    /// <summary>
    /// Binds <typeparamref name="T"/> whose only rule is its type (a flag that must read as true or false): the binder
    /// refuses anything else, naming the key, when the options are first made, which <c>ValidateOnStart</c> makes the start.
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section)
        where T : class, new() =>
        services.AddValidatedOptions<T, TypeOnlyRules<T>>(section);

    /// <summary>The result of a list of broken rules: success when there is none.</summary>
    public static ValidateOptionsResult Result(IEnumerable<string> errors) =>
        errors.ToList() is { Count: > 0 } broken ? ValidateOptionsResult.Fail(broken) : ValidateOptionsResult.Success;
}

/// <summary>The rules of settings whose type is their only rule, which the binder checks (see <see cref="ValidatedOptions.AddValidatedOptions{T}"/>).</summary>
public sealed class TypeOnlyRules<T> : IValidateOptions<T> where T : class
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, T options) => ValidateOptionsResult.Success;
}
