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
    /// The same settings for builder code that must decide before the host exists (which storage provider or listen
    /// address to configure): bound once per builder, checked by the same rules as the registered options, and kept, so
    /// every early reader sees one value.
    /// </summary>
    public static T ReadEarly<T, TRules>(this IHostApplicationBuilder builder, string section)
        where T : class, new()
        where TRules : IValidateOptions<T>, new()
    {
        if (builder.Properties.TryGetValue(typeof(T), out var held)) return (T)held;
        var options = new T();
        builder.Configuration.GetSection(section).Bind(options);
        var result = new TRules().Validate(Options.DefaultName, options);
        if (result.Failed) throw new OptionsValidationException(Options.DefaultName, typeof(T), result.Failures);
        builder.Properties[typeof(T)] = options;
        return options;
    }

    /// <summary>The result of a list of broken rules: success when there is none.</summary>
    public static ValidateOptionsResult Result(IEnumerable<string> errors) =>
        errors.ToList() is { Count: > 0 } broken ? ValidateOptionsResult.Fail(broken) : ValidateOptionsResult.Success;
}
