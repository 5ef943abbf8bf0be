// A real OpenID Connect provider (npm's oidc-provider) for the sign-in tests, on loopback only.
// Never deployed: its login form is oidc-provider's development form, which signs in any of
// the test users below by their login (the password is not checked).
//
//   node provider.mjs CONFIG.json
// CONFIG: {"port": 0, "client_id": "...", "client_secret": "...", "redirect_uri": "...",
//          "users": {"viewer": {"email": "...", "name": "...", "groups": ["..."]}, ...}}
// Prints one line "READY <issuer>" when it listens.
import { readFileSync } from "node:fs";
import Provider from "oidc-provider";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const issuer = `http://127.0.0.1:${config.port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: config.client_id,
      client_secret: config.client_secret,
      redirect_uris: [config.redirect_uri],
      // Streamlit's st.logout comes back through the same address.
      post_logout_redirect_uris: [config.redirect_uri],
      response_types: ["code"],
      grant_types: ["authorization_code"],
    },
  ],
  async findAccount(_ctx, id) {
    const user = config.users[id];
    if (!user) return undefined;
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: user.email,
          email_verified: true,
          name: user.name,
          groups: user.groups ?? [],
        };
      },
    };
  },
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name", "groups"],
  },
  // The claims go in the ID token, which is what Streamlit reads into st.user.
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      // The default page loads web fonts from the internet; this one loads nothing.
      async logoutSource(ctx, form) {
        ctx.body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sign out</title>
          </head><body><h1>Sign out of the test provider?</h1>${form}
          <button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">
          Yes, sign me out</button></body></html>`;
      },
    },
  },
  // No consent screen: the test client is first-party.
  async loadExistingGrant(ctx) {
    const grantId =
      ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid email profile");
    await grant.save();
    return grant;
  },
  cookies: { keys: ["scst-test-only-not-a-secret"] },
});

provider.listen(config.port, "127.0.0.1", () => {
  console.log(`READY ${issuer}`);
});
process.on("SIGTERM", () => process.exit(0));
