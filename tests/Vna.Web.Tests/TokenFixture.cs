using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Vna.Web.Tests;

/// <summary>
/// A server whose DICOMweb takes bearer tokens only (HS256, issuer and audience checked), with departments "cardio" and
/// "radio" besides "default"; <see cref="Token"/> signs tokens as an identity provider would.
/// </summary>
public sealed class TokenFixture : WebServerFixture
{
    public const string Issuer = "https://idp.vna.test";
    public const string Audience = "vna-dicomweb";
    public const string SigningKey = "vna-test-signing-key-0123456789abcdef-0123456789";

    protected override string Name => "web-jwt";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["DicomWeb__Authentication__Mode"] = "Jwt",
        ["DicomWeb__Authentication__SigningKey"] = SigningKey,
        ["DicomWeb__Authentication__Issuer"] = Issuer,
        ["DicomWeb__Authentication__Audience"] = Audience,
        ["Archive__Departments__1__Name"] = "cardio",
        ["Archive__Departments__2__Name"] = "radio",
    };

    /// <summary>A signed token with these roles and departments.</summary>
    public static string Token(string[] roles, string[] departments, string subject = "test-user", string key = SigningKey, TimeSpan? lifetime = null, string issuer = Issuer)
    {
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(10));
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = Audience,
            NotBefore = lifetime is { } l && l < TimeSpan.Zero ? expires.AddMinutes(-5) : now.AddMinutes(-1),
            IssuedAt = lifetime is { } l2 && l2 < TimeSpan.Zero ? expires.AddMinutes(-5) : now.AddMinutes(-1),
            Expires = expires,
            Subject = new ClaimsIdentity([new Claim("sub", subject)]),
            Claims = new Dictionary<string, object> { ["roles"] = roles, ["departments"] = departments },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}
