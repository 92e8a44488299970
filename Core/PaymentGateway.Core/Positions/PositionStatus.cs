namespace PaymentGateway.Core.Positions;

/// <summary>The state of a debt position, derived from its options (see <see cref="DebtPosition.Status"/>).</summary>
public enum PositionStatus
{
    /// <summary>Payable, nothing paid yet.</summary>
    Valid,

    /// <summary>Some installments of a plan are paid, others are not.</summary>
    PartiallyPaid,

    /// <summary>Settled: the single option, or every installment, is paid.</summary>
    Paid,

    /// <summary>Settled and every settling option is reported in an FdR.</summary>
    Reported,

    /// <summary>Every option that is not cancelled has expired.</summary>
    Expired,

    /// <summary>Every option is cancelled.</summary>
    Cancelled,
}
