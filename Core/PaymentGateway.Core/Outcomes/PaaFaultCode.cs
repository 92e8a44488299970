namespace PaymentGateway.Core.Outcomes;

/// <summary>
/// The closed set of EC-domain faults (<c>PAA_*</c>) that the paForNode primitives may return
/// (pagoPA "Gestione degli errori", EC domain; NOTES §a.7). A KO travels as HTTP 200, <c>outcome=KO</c> and a
/// <c>faultBean</c>; it is an expected business outcome, not an exception.
/// </summary>
public enum PaaFaultCode
{
    /// <summary><c>PAA_SINTASSI_XSD</c>: the request is not valid against the XSD.</summary>
    SintassiXsd,

    /// <summary><c>PAA_SINTASSI_EXTRAXSD</c>: the request is XSD-valid but a value is unusable (syntax beyond the XSD).</summary>
    SintassiExtraXsd,

    /// <summary><c>PAA_ID_DOMINIO_ERRATO</c>: <c>idPA</c> is not an EC we serve, or not associated with <c>idStation</c>.</summary>
    IdDominioErrato,

    /// <summary><c>PAA_ID_INTERMEDIARIO_ERRATO</c>: <c>idBrokerPA</c> is not our broker code.</summary>
    IdIntermediarioErrato,

    /// <summary><c>PAA_STAZIONE_INT_ERRATA</c>: <c>idStation</c> is not one of our stations.</summary>
    StazioneIntErrata,

    /// <summary>
    /// <c>PAA_PAGAMENTO_SCONOSCIUTO</c>: the notice number / IUV is unknown (also the answer the Node's Stand-In probe
    /// <c>000000000000000000</c> expects).
    /// </summary>
    PagamentoSconosciuto,

    /// <summary><c>PAA_PAGAMENTO_DUPLICATO</c>: the payment is already concluded (option paid or reported, or the plan settled otherwise).</summary>
    PagamentoDuplicato,

    /// <summary><c>PAA_PAGAMENTO_SCADUTO</c>: the option expired and the EC's policy makes it no longer payable.</summary>
    PagamentoScaduto,

    /// <summary><c>PAA_PAGAMENTO_ANNULLATO</c>: the option/position was cancelled.</summary>
    PagamentoAnnullato,

    /// <summary>
    /// <c>PAA_PAGAMENTO_IN_CORSO</c>: a payment of the same position is in progress on the EC side. Not to be returned
    /// merely because a previous paGetPayment was served (the Node handles concurrency).
    /// </summary>
    PagamentoInCorso,

    /// <summary><c>PAA_SEMANTICA</c>: any other semantic error without a specific code (e.g. a receipt we cannot apply).</summary>
    Semantica,

    /// <summary><c>PAA_SYSTEM_ERROR</c>: internal failure (database down, bug); allowed for every primitive.</summary>
    SystemError,
}
