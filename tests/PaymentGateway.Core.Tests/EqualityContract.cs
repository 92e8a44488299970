namespace PaymentGateway.Core.Tests;

/// <summary>NodaTime TestHelper-style equality contract for value types.</summary>
public static class EqualityContract
{
    /// <summary>
    /// Asserts that <paramref name="value"/> and <paramref name="equalValue"/> are equal in every way (Equals, typed
    /// Equals, ==, !=, hash code), that <paramref name="differentValues"/> all differ from it, and null/other-type handling.
    /// </summary>
    public static void AssertValueSemantics<T>(T value, T equalValue, params T[] differentValues)
        where T : struct, IEquatable<T>
    {
        Assert.True(value.Equals(equalValue));
        Assert.True(equalValue.Equals(value));
        Assert.True(value.Equals((object)equalValue));
        Assert.Equal(value.GetHashCode(), equalValue.GetHashCode());
        Assert.True(Operators<T>.Equal(value, equalValue));
        Assert.False(Operators<T>.NotEqual(value, equalValue));
        Assert.True(value.Equals(value));
        Assert.False(value.Equals(null));
        Assert.False(value.Equals(new object()));
        Assert.NotEmpty(differentValues);
        foreach (var other in differentValues)
        {
            Assert.False(value.Equals(other), $"{value} should differ from {other}");
            Assert.False(other.Equals(value));
            Assert.False(value.Equals((object)other));
            Assert.False(Operators<T>.Equal(value, other));
            Assert.True(Operators<T>.NotEqual(value, other));
        }
    }

    /// <summary>The type's own == and != operators, found by reflection.</summary>
    private static class Operators<T>
    {
        private static readonly System.Reflection.MethodInfo EqualityOp =
            typeof(T).GetMethod("op_Equality", [typeof(T), typeof(T)])
            ?? throw new InvalidOperationException($"{typeof(T)} has no == operator");

        private static readonly System.Reflection.MethodInfo InequalityOp =
            typeof(T).GetMethod("op_Inequality", [typeof(T), typeof(T)])
            ?? throw new InvalidOperationException($"{typeof(T)} has no != operator");

        public static bool Equal(T left, T right) => (bool)EqualityOp.Invoke(null, [left, right])!;

        public static bool NotEqual(T left, T right) => (bool)InequalityOp.Invoke(null, [left, right])!;
    }
}
