namespace PaymentGateway.Core.Outcomes;

/// <summary>
/// The outcome of a paForNode primitive (in the style of Polly's <c>Outcome&lt;T&gt;</c>): either a value
/// (<c>outcome=OK</c>) or a <see cref="PaaFault"/> (<c>outcome=KO</c>). Expected business failures travel as values.
/// </summary>
/// <remarks><c>default</c> is neither OK nor a fault: <see cref="IsOk"/> is false and <see cref="Fault"/> throws.</remarks>
/// <typeparam name="T">The OK payload.</typeparam>
public readonly struct NodeOutcome<T>
{
    private readonly T _value;
    private readonly PaaFault? _fault;

    private NodeOutcome(T value, PaaFault? fault, bool isOk)
    {
        _value = value;
        _fault = fault;
        IsOk = isOk;
    }

    /// <summary>True for an OK outcome.</summary>
    public bool IsOk { get; }

    /// <summary>The OK value.</summary>
    /// <exception cref="InvalidOperationException">The outcome is a fault.</exception>
    public T Value => IsOk ? _value : throw new InvalidOperationException($"outcome is KO: {_fault?.FaultCode ?? "default"}");

    /// <summary>The fault.</summary>
    /// <exception cref="InvalidOperationException">The outcome is OK (or <c>default</c>).</exception>
    public PaaFault Fault => _fault ?? throw new InvalidOperationException(IsOk ? "outcome is OK" : "outcome is default");

    /// <summary>An OK outcome.</summary>
    /// <param name="value">The payload.</param>
    /// <returns>The outcome.</returns>
    public static NodeOutcome<T> Ok(T value) => new(value, null, true);

    /// <summary>A KO outcome.</summary>
    /// <param name="fault">The fault.</param>
    /// <returns>The outcome.</returns>
    public static NodeOutcome<T> Fail(PaaFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        return new NodeOutcome<T>(default!, fault, false);
    }

    /// <summary>Wraps a value as OK.</summary>
    /// <param name="value">The payload.</param>
    public static implicit operator NodeOutcome<T>(T value) => Ok(value);

    /// <summary>Wraps a fault as KO.</summary>
    /// <param name="fault">The fault.</param>
    public static implicit operator NodeOutcome<T>(PaaFault fault) => Fail(fault);

    /// <summary>Folds the outcome.</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="ok">Called with the value when OK.</param>
    /// <param name="fail">Called with the fault when KO.</param>
    /// <returns>What the called function returned.</returns>
    public TResult Match<TResult>(Func<T, TResult> ok, Func<PaaFault, TResult> fail)
    {
        ArgumentNullException.ThrowIfNull(ok);
        ArgumentNullException.ThrowIfNull(fail);
        return IsOk ? ok(_value) : fail(Fault);
    }

    /// <summary><c>OK(value)</c> or <c>KO(faultCode)</c>.</summary>
    /// <returns>The outcome as text.</returns>
    public override string ToString() => IsOk ? $"OK({_value})" : _fault is null ? "default" : $"KO({_fault.FaultCode})";
}
