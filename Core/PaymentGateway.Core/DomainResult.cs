namespace PaymentGateway.Core;

/// <summary>
/// The result of a domain factory: either a value or a non-empty list of <see cref="DomainError"/>s.
/// Invalid input is an expected outcome, not an exception.
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
public sealed class DomainResult<T>
{
    private readonly T? _value;

    private DomainResult(T? value, IReadOnlyList<DomainError> errors)
    {
        _value = value;
        Errors = errors;
    }

    /// <summary>True when there is a value and no errors.</summary>
    public bool IsSuccess => Errors.Count == 0;

    /// <summary>The value.</summary>
    /// <exception cref="InvalidOperationException">The result is a failure; the message lists the errors.</exception>
    public T Value => IsSuccess
        ? _value!
        : throw new InvalidOperationException(
            $"{typeof(T).Name} is invalid: {string.Join("; ", Errors)}");

    /// <summary>The errors (empty on success).</summary>
    public IReadOnlyList<DomainError> Errors { get; }

    /// <summary>A successful result.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The result.</returns>
    public static DomainResult<T> Success(T value) => new(value, []);

    /// <summary>A failed result.</summary>
    /// <param name="errors">At least one error.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException">No errors were given.</exception>
    public static DomainResult<T> Failure(params IEnumerable<DomainError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var list = errors.ToArray();
        return list.Length == 0
            ? throw new ArgumentException("a failure needs at least one error", nameof(errors))
            : new DomainResult<T>(default, list);
    }

    /// <summary><c>Success(value)</c> or the joined errors.</summary>
    /// <returns>The result as text.</returns>
    public override string ToString() => IsSuccess ? $"Success({_value})" : $"Failure({string.Join("; ", Errors)})";
}
