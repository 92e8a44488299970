namespace PaymentGateway.Core;

/// <summary>The kind of subject identified by a <see cref="DebtorIdentifier"/> (XSD <c>entityUniqueIdentifierType</c>).</summary>
public enum EntityType
{
    /// <summary>A natural person (<i>persona fisica</i>), wire code <c>F</c>.</summary>
    Person = 'F',

    /// <summary>A legal entity (<i>persona giuridica</i>), wire code <c>G</c>.</summary>
    LegalEntity = 'G',
}
