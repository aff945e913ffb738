#!/usr/bin/env python3
"""Writes privacy-cases/secrets.jsonl: the labelled cases of the code-secrets filter.

Every token value is synthetic, drawn from a seeded random generator in the shape each service documents
(prefix, alphabet, length) and, where the format has one, with a correct check: GitHub's and npm's base62
CRC32, JWT parts that decode to JSON, age's bech32 checksum, Discord's base64 of a numeric id. Negatives are
look-alikes that fail those checks, placeholders, public values and ordinary code. Nothing here is a real
secret. Run from this folder:  python3 make_secrets_cases.py
"""
import base64
import json
import os
import random
import zlib

R = random.Random(int(os.environ.get("SECRETS_SEED", "20240611")))
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                   "../../../main/resources/org/rlhf4j/host/filter/privacy-cases/secrets.jsonl")


def pick(alphabet, n):
    return "".join(R.choice(alphabet) for _ in range(n))


def b62(n):
    return pick(B62, n)


def b62d(n):
    """Random base62 with at least one digit (the generic rule wants letters and digits)."""
    v = b62(n - 1)
    i = R.randrange(n)
    return v[:i] + R.choice("0123456789") + v[i:]


def hexs(n, alphabet="0123456789abcdef"):
    return pick(alphabet, n)


def b64url(n):
    return pick(B62 + "-_", n)


def b64std(n):
    return pick(B62 + "+/", n)


def uuid():
    return "-".join(hexs(k) for k in (8, 4, 4, 4, 12))


def crc_b62(body):
    v = zlib.crc32(body.encode())
    s = ""
    for _ in range(6):
        s = B62[v % 62] + s
        v //= 62
    return s


def checksummed(prefix):
    body = b62(30)
    return prefix + "_" + body + crc_b62(body)


def tamper(token):
    """The token with its last character changed: its checksum no longer holds."""
    last = token[-1]
    return token[:-1] + ("A" if last != "A" else "B")


def b64u(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def jwt(header, payload, sig=True):
    h = b64u(json.dumps(header, separators=(",", ":")).encode())
    p = b64u(json.dumps(payload, separators=(",", ":")).encode())
    return h + "." + p + "." + (b64u(bytes(R.getrandbits(8) for _ in range(32))) if sig else "")


BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def bech32_polymod(values):
    gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1ffffff) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if (top >> i) & 1 else 0
    return chk


def bech32(hrp, data):
    bits, acc, out = 0, 0, []
    for b in data:
        acc = acc << 8 | b
        bits += 8
        while bits >= 5:
            bits -= 5
            out.append(acc >> bits & 31)
    if bits:
        out.append(acc << (5 - bits) & 31)
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    pm = bech32_polymod(expanded + out + [0] * 6) ^ 1
    out += [pm >> 5 * (5 - i) & 31 for i in range(6)]
    return hrp + "1" + "".join(BECH32[d] for d in out)


def age_key():
    return bech32("age-secret-key-", bytes(R.getrandbits(8) for _ in range(32))).upper()


def discord(valid=True):
    uid = str(R.randint(10 ** 17, 10 ** 19 - 1)) if valid else "user" + b62(14)
    first = base64.b64encode(uid.encode()).decode().rstrip("=")
    if not valid and first[0] not in "MNO":
        first = "M" + first[1:]
    return first + "." + b64url(6) + "." + b64url(R.choice([27, 38]))


def b64json(obj):
    return base64.b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode()


def pem_body(lines=6, width=64):
    return "\n".join(b64std(width) for _ in range(lines)) + "\n" + b64std(24) + "=="


CASES = []


def pos(family, tag, text, *found, source="", optional=False):
    for f in found:
        assert f in text, (family, f)
    c = {"filter": "code-secrets", "family": family, "text": text, "found": list(found), "tag": tag}
    if optional:
        c["optional"] = True
    if source:
        c["source"] = source
    CASES.append(c)


def neg(family, text, source=""):
    c = {"filter": "code-secrets", "family": family, "text": text, "found": []}
    if source:
        c["source"] = source
    CASES.append(c)


def cases():
    # ---- private-key
    T = "<PRIVATE_KEY>"
    src = "PEM (RFC 7468), OpenSSH, PGP armor (RFC 4880), SSH2 (RFC 4716), PuTTY .ppk framing; detect-secrets PrivateKeyDetector kinds"
    for kind in ["RSA ", "DSA ", "EC ", "OPENSSH ", "ENCRYPTED ", ""]:
        block = "-----BEGIN %sPRIVATE KEY-----\n%s\n-----END %sPRIVATE KEY-----" % (kind, pem_body(), kind)
        pos("private-key", T, "deploy key, do not share:\n" + block + "\n", block, source=src)
    block = ("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,%s\n\n%s\n-----END RSA PRIVATE KEY-----"
             % (hexs(32, "0123456789ABCDEF"), pem_body()))
    pos("private-key", T, "# id_rsa (encrypted)\n" + block, block, source=src)
    block = "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\n%s\n=%s\n-----END PGP PRIVATE KEY BLOCK-----" % (pem_body(8), b64std(4))
    pos("private-key", T, "我的私钥如下：\n" + block + "\n请妥善保管。", block, source=src)
    block = "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nComment: \"rsa-key-20240101\"\n%s\n---- END SSH2 ENCRYPTED PRIVATE KEY ----" % pem_body()
    pos("private-key", T, block, block, source=src)
    block = ("PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: rsa-key-20240101\nPublic-Lines: 2\n%s\n%s\n"
             "Private-Lines: 4\n%s\nPrivate-MAC: %s" % (b64std(64), b64std(40), pem_body(3), hexs(40)))
    pos("private-key", T, "key.ppk:\n" + block + "\n", block, source=src)
    body = "\\n".join(b64std(64) for _ in range(5))
    block = "-----BEGIN PRIVATE KEY-----\\n" + body + "\\n-----END PRIVATE KEY-----\\n"
    pos("private-key", T, '{"type": "service_account", "private_key": "%s", "client_email": "svc@proj.iam.gserviceaccount.com"}' % block,
        block[:-2], source=src + "; Google service-account JSON with \\n escapes")
    trunc = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + "\n".join(b64std(70) for _ in range(4)) + "\n"
    pos("private-key", T, "pasted from my laptop:\n" + trunc + "\n(the rest got cut off)", trunc, optional=True,
        source=src + "; truncated paste, no END line")
    neg("private-key", "Your key file must start with -----BEGIN RSA PRIVATE KEY----- and end with the matching END line.", source=src)
    neg("private-key", "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----", source=src + "; elided body")
    neg("private-key", "-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----" % pem_body(), source="a public key is not a secret")
    neg("private-key", "-----BEGIN CERTIFICATE-----\n%s\n-----END CERTIFICATE-----" % pem_body(), source="a certificate is not a secret")
    neg("private-key", 'if line.startswith("-----BEGIN OPENSSH PRIVATE KEY-----"):\n    kind = "openssh"', source=src)
    neg("private-key", "-----BEGIN EC PRIVATE KEY-----\n<your key here>\n-----END EC PRIVATE KEY-----", source=src + "; placeholder")

    # ---- github-token
    T = "<GITHUB_TOKEN>"
    src = "GitHub token formats (github.blog 2021-04-05): prefix, 30 base62, 6-char base62 CRC32"
    for p, ctx in [("ghp", 'GITHUB_TOKEN = "%s"'), ("gho", "curl -H 'Authorization: token %s' https://api.github.com/user"),
                   ("ghu", "export GH_TOKEN=%s"), ("ghs", "我把 token %s 贴在这里了"), ("ghr", "refresh_token: %s"),
                   ("ghp", "%s")]:
        t = checksummed(p)
        pos("github-token", T, ctx % t, t, source=src)
    t = "github_pat_" + b62(22) + "_" + b62(59)
    pos("github-token", T, "Use this fine-grained token: %s (expires in 30 days)." % t, t, source="GitHub fine-grained PAT shape 22_59")
    for p in ["ghp", "ghs"]:
        neg("github-token", 'token = "%s"' % tamper(checksummed(p)), source=src + "; last character changed: CRC32 fails")
    neg("github-token", "The classic token looks like ghp_ followed by 36 characters.", source=src)
    neg("github-token", "echo ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", source=src + "; placeholder")
    neg("github-token", "GitHub 的令牌以 gho_ 开头，例如 gho_%s。" % b62(20), source=src + "; too short")

    # ---- gitlab-token
    T = "<GITLAB_TOKEN>"
    src = "GitLab token prefixes (docs: security/tokens, 'Token prefixes')"
    for p, ctx in [("glpat-", 'private_token = "%s"'), ("gloas-", "OAUTH_SECRET=%s"), ("gldt-", "deploy token: %s"),
                   ("glrt-", "gitlab-runner register --token %s"), ("glptt-", "curl -F token=%s https://gitlab.example.com/api/v4/trigger"),
                   ("glft-", "feed token %s"), ("glcbt-", "CI job token %s"), ("glimt-", "incoming mail token: %s"),
                   ("glagent-", "agent token: %s"), ("glsoat-", "SCIM: %s"), ("glffct-", "unleash client token %s")]:
        t = p + b64url(20)
        pos("gitlab-token", T, ctx % t, t, source=src)
    t = "GR1348941" + b64url(20)
    pos("gitlab-token", T, "runner registration token %s" % t, t, source=src + "; runner registration")
    t = "glpat-" + b64url(27) + ".01." + pick("0123456789abcdefghijklmnopqrstuvwxyz", 9)
    pos("gitlab-token", T, "新的 routable token：%s" % t, t, source=src + "; routable token tail")
    neg("gitlab-token", "Personal access tokens start with glpat- and are 20 characters after it.", source=src)
    neg("gitlab-token", "GITLAB_TOKEN=glpat-xxxxxxxxxxxxxxxxxxxx", source=src + "; placeholder")
    neg("gitlab-token", 'token = "glpat-%s"' % b62(8), source=src + "; too short")

    # ---- npm-token
    T = "<NPM_TOKEN>"
    src = "npm access token format (github.blog 2021-09-23): npm_, 30 base62, base62 CRC32"
    t = checksummed("npm")
    pos("npm-token", T, "//registry.npmjs.org/:_authToken=%s" % t, t, source=src)
    t = checksummed("npm")
    pos("npm-token", T, "NPM_TOKEN: %s" % t, t, source=src)
    t = checksummed("npm")
    pos("npm-token", T, "发布时用的 npm 令牌是 %s ，别外传。" % t, t, source=src)
    u = uuid()
    pos("npm-token", T, "//registry.npmjs.org/:_authToken=%s\nalways-auth=true" % u, u, source="detect-secrets NpmDetector: legacy UUID _authToken")
    neg("npm-token", "//registry.npmjs.org/:_authToken=%s" % tamper(checksummed("npm")), source=src + "; CRC32 fails")
    neg("npm-token", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}", source="detect-secrets NpmDetector; variable")
    neg("npm-token", "run npm_config_cache=/tmp/npm npm ci", source=src + "; not a token")

    # ---- pypi-token
    T = "<PYPI_TOKEN>"
    src = "PyPI API tokens: macaroons, base64 opening with the location pypi.org / test.pypi.org"
    t = "pypi-AgEIcHlwaS5vcmc" + b64url(70)
    pos("pypi-token", T, "[pypi]\nusername = __token__\npassword = %s" % t, t, source=src)
    t = "pypi-AgENdGVzdC5weXBpLm9yZw" + b64url(70)
    pos("pypi-token", T, "twine upload -r testpypi -p %s dist/*" % t, t, source=src)
    t = "pypi-AgEIcHlwaS5vcmc" + b64url(90)
    pos("pypi-token", T, "PyPI 令牌：%s" % t, t, source=src)
    neg("pypi-token", "password = pypi-AgEIcHlwaS5vcmc...", source=src + "; elided")
    neg("pypi-token", "Tokens start with pypi- followed by a long base64 string.", source=src)

    # ---- artifactory-token
    T = "<ARTIFACTORY_TOKEN>"
    src = "detect-secrets ArtifactoryDetector: AKC API keys, AP[0-9A-F] encrypted passwords; reference tokens cmVmdGtu"
    t = "AKCp" + b62(69)
    pos("artifactory-token", T, 'curl -H "X-JFrog-Art-Api: %s" https://repo.example.com/artifactory/api/repositories' % t, t, source=src)
    t = "AP" + R.choice("0123456789ABCDEF") + b62(56)
    pos("artifactory-token", T, "artifactory_password=%s" % t, t, source=src)
    t = "cmVmdGtu" + b62(56)
    pos("artifactory-token", T, "reference token %s" % t, t, source=src)
    neg("artifactory-token", "APPLICATION_NAME=APEXLEGENDS", source=src + "; words")
    neg("artifactory-token", "The AKC prefix marks an API key; AP followed by a hex digit marks an encrypted password.", source=src)
    neg("artifactory-token", "AKCxxxxxxxxxxxxxxxxxxxxxxxxxx", source=src + "; placeholder")

    # ---- jwt
    T = "<JWT>"
    src = "RFC 7519: header and payload are base64url JSON objects (detect-secrets JwtTokenDetector checks both)"
    t = jwt({"alg": "HS256", "typ": "JWT"}, {"sub": str(R.randint(10 ** 6, 10 ** 7)), "name": "Zhang Wei", "iat": 1716200000})
    pos("jwt", T, "Authorization: Bearer %s" % t, t, source=src)
    t = jwt({"alg": "RS256", "kid": hexs(16)}, {"iss": "https://auth.example.com", "aud": "api", "exp": 1893456000})
    pos("jwt", T, 'const token = "%s";' % t, t, source=src)
    t = jwt({"alg": "none"}, {"user": "admin"}, sig=False)
    pos("jwt", T, "unsigned token: %s" % t, t, source=src + "; alg none, empty signature")
    t = jwt({"alg": "ES256"}, {"sub": "42", "scope": "read write"})
    pos("jwt", T, "服务返回的令牌是%s。" % t, t, source=src)
    t = jwt({"alg": "HS512", "typ": "JWT"}, {"role": "service", "iat": 1700000000})
    pos("jwt", T, t, t, source=src)
    bad = "eyJhbGciOiJIUzI1NiJ9." + b64u(b"this is not json at all, sorry") + "." + b64url(43)
    neg("jwt", "token = %s" % bad, source=src + "; payload is not JSON")
    bad = "eyJ" + b64url(30) + "." + "eyJ" + b64url(30) + "." + b64url(43)
    neg("jwt", "see %s" % bad, source=src + "; random after eyJ, does not decode to JSON")
    neg("jwt", "A JWT has three parts: header.payload.signature, each base64url, e.g. eyJ... .", source=src)
    neg("jwt", "picture: data:image/png;base64,eyJhbGciOiJIUzI1NiJ9", source=src + "; one part only")

    # ---- age-secret-key
    T = "<AGE_SECRET_KEY>"
    src = "age key format (age-encryption.org v1): bech32, HRP age-secret-key-, upper case"
    k = age_key()
    pos("age-secret-key", T, "# created: 2024-05-01T10:00:00Z\n# public key: age1%s\n%s" % (pick(BECH32, 58), k), k, source=src)
    k = age_key()
    pos("age-secret-key", T, "SOPS_AGE_KEY=%s" % k, k, source=src)
    k = age_key()
    pos("age-secret-key", T, "解密用的 age 私钥：%s" % k, k, source=src)
    neg("age-secret-key", "SOPS_AGE_KEY=%s" % (lambda s: s[:-1] + ("Q" if s[-1] != "Q" else "P"))(age_key()), source=src + "; bech32 checksum fails")
    neg("age-secret-key", "An age identity starts with AGE-SECRET-KEY-1 and is 74 characters long.", source=src)

    # ---- grafana-token
    T = "<GRAFANA_TOKEN>"
    src = "Grafana tokens: glc_ (base64 JSON), glsa_ service-account tokens with hex tail"
    t = "glc_" + b64json({"o": str(R.randint(100000, 999999)), "n": "stack-key", "k": b62(24), "m": {"r": "us"}})
    pos("grafana-token", T, "GRAFANA_CLOUD_TOKEN=%s" % t, t, source=src)
    t = "glsa_" + b62(32) + "_" + hexs(8)
    pos("grafana-token", T, 'grafana_auth = "%s"' % t, t, source=src)
    neg("grafana-token", "glc_" + b64std(60), source=src + "; does not decode to JSON")
    neg("grafana-token", "Service account tokens look like glsa_<32 characters>_<8 hex>.", source=src)

    # ---- sentry-token
    T = "<SENTRY_TOKEN>"
    src = "Sentry auth tokens: sntrys_ (base64 JSON with region_url, then secret), sntryu_ user tokens"
    t = "sntrys_" + b64json({"iat": 1716200000.1, "url": "https://sentry.io", "region_url": "https://us.sentry.io", "org": "acme"}).rstrip("=") + "_" + b64std(43)
    pos("sentry-token", T, "SENTRY_AUTH_TOKEN=%s" % t, t, source=src)
    t = "sntryu_" + hexs(64)
    pos("sentry-token", T, "sentry-cli --auth-token %s releases list" % t, t, source=src)
    neg("sentry-token", "sntrys_" + b64std(80) + "_" + b64std(43), source=src + "; payload not JSON")
    neg("sentry-token", "SENTRY_AUTH_TOKEN=sntrys_your_token_here", source=src + "; placeholder")

    # ---- vault-token
    T = "<VAULT_TOKEN>"
    src = "HashiCorp Vault token prefixes hvs. (service), hvb. (batch), hvr. (recovery)"
    t = "hvs." + b64url(91)
    pos("vault-token", T, "export VAULT_TOKEN=%s" % t, t, source=src)
    t = "hvb." + b64url(140)
    pos("vault-token", T, "vault token: %s" % t, t, source=src)
    neg("vault-token", "Service tokens start with hvs. and batch tokens with hvb.", source=src)
    neg("vault-token", "VAULT_TOKEN=hvs.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", source=src + "; placeholder")

    # ---- openai-key
    T = "<OPENAI_KEY>"
    src = "OpenAI keys carry T3BlbkFJ (base64 of 'OpenAI'): legacy sk- 20+8+20, project/service-account/admin keys"
    t = "sk-" + b62(20) + "T3BlbkFJ" + b62(20)
    pos("openai-key", T, "openai.api_key = '%s'" % t, t, source=src)
    t = "sk-proj-" + b64url(74) + "T3BlbkFJ" + b64url(74)
    pos("openai-key", T, "OPENAI_API_KEY=%s" % t, t, source=src)
    t = "sk-svcacct-" + b64url(58) + "T3BlbkFJ" + b64url(58)
    pos("openai-key", T, "My OpenAI key is %s, please keep it private." % t, t, source=src)
    t = "sk-admin-" + b64url(58) + "T3BlbkFJ" + b64url(58)
    pos("openai-key", T, "管理员密钥 %s" % t, t, source=src)
    neg("openai-key", "client = OpenAI(api_key=os.environ['OPENAI_API_KEY'])", source=src)
    neg("openai-key", "OPENAI_API_KEY=sk-...", source=src + "; elided")
    neg("openai-key", "sk-" + b62(48), source=src + "; no T3BlbkFJ: not an OpenAI key")

    # ---- anthropic-key
    T = "<ANTHROPIC_KEY>"
    src = "Anthropic key shape (gitleaks anthropic rules): sk-ant-api03-, 93 chars, AA"
    t = "sk-ant-api03-" + b64url(93) + "AA"
    pos("anthropic-key", T, "ANTHROPIC_API_KEY=%s" % t, t, source=src)
    t = "sk-ant-admin01-" + b64url(93) + "AA"
    pos("anthropic-key", T, 'headers = {"x-api-key": "%s"}' % t, t, source=src)
    neg("anthropic-key", "export ANTHROPIC_API_KEY=sk-ant-api03-...", source=src + "; elided")
    neg("anthropic-key", "Keys start with sk-ant- and are about 108 characters long.", source=src)

    # ---- huggingface-token
    T = "<HUGGINGFACE_TOKEN>"
    src = "Hugging Face tokens: hf_ / api_org_ and 34 letters"
    t = "hf_" + pick(B62[10:], 34)
    pos("huggingface-token", T, "huggingface-cli login --token %s" % t, t, source=src)
    t = "hf_" + pick(B62[10:], 34)
    pos("huggingface-token", T, 'HF_TOKEN = "%s"' % t, t, source=src)
    t = "api_org_" + pick(B62[10:], 34)
    pos("huggingface-token", T, "组织令牌 %s 只读" % t, t, source=src)
    neg("huggingface-token", "hf_hub_download_and_cache_the_model_file(repo)", source=src + "; identifier")
    neg("huggingface-token", "HF_TOKEN=hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", source=src + "; placeholder")

    # ---- slack-token / slack-webhook
    T = "<SLACK_TOKEN>"
    src = "Slack token types (api.slack.com/authentication/token-types); detect-secrets SlackDetector"
    t = "xoxb-%d-%d-%s" % (R.randint(10 ** 10, 10 ** 12), R.randint(10 ** 11, 10 ** 12), b62(24))
    pos("slack-token", T, 'SLACK_BOT_TOKEN = "%s"' % t, t, source=src)
    t = "xoxp-%d-%d-%d-%s" % (R.randint(10 ** 10, 10 ** 12), R.randint(10 ** 10, 10 ** 12), R.randint(10 ** 11, 10 ** 12), hexs(32))
    pos("slack-token", T, "user token: %s" % t, t, source=src)
    t = "xapp-1-A%s-%d-%s" % (pick("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", 10), R.randint(10 ** 12, 10 ** 13), hexs(64))
    pos("slack-token", T, "Socket Mode 需要 app token：%s" % t, t, source=src)
    t = "xoxe.xoxp-1-" + pick("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", 160)
    pos("slack-token", T, "refresh: %s" % t, t, source=src + "; rotating token")
    neg("slack-token", "SLACK_BOT_TOKEN=xoxb-your-bot-token", source=src + "; placeholder")
    neg("slack-token", "Bot tokens begin with xoxb- and user tokens with xoxp-.", source=src)
    neg("slack-token", "xoxb-1234567890-abcdefghij", source=src + "; too short for a bot token")
    T = "<SLACK_WEBHOOK>"
    src = "Slack incoming webhooks (api.slack.com/messaging/webhooks)"
    w = "https://hooks.slack.com/services/T%s/B%s/%s" % (pick("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", 8),
                                                         pick("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", 10), b62(24))
    pos("slack-webhook", T, "curl -X POST -d '{\"text\":\"deploy done\"}' %s" % w, w, source=src)
    w = "https://hooks.slack.com/workflows/T%s/A%s/%d/%s" % (pick("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", 9),
                                                            pick("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", 10), R.randint(10 ** 17, 10 ** 18), b62(24))
    pos("slack-webhook", T, "告警发到 %s 这个地址" % w, w, source=src)
    neg("slack-webhook", "WEBHOOK=https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", source=src + "; Slack's documented placeholder")
    neg("slack-webhook", "See https://hooks.slack.com/ for how incoming webhooks work.", source=src)

    # ---- discord-bot-token
    T = "<DISCORD_BOT_TOKEN>"
    src = "Discord bot tokens: base64(user id).timestamp.hmac; detect-secrets DiscordBotTokenDetector shape"
    t = discord()
    pos("discord-bot-token", T, "client.run('%s')" % t, t, source=src)
    t = discord()
    pos("discord-bot-token", T, "DISCORD_TOKEN=%s" % t, t, source=src)
    t = discord()
    pos("discord-bot-token", T, "机器人的 token 是 %s" % t, t, source=src)
    neg("discord-bot-token", "version = 'M%s.%s.%s'" % (b62(24), b62(6), b62(27)), source=src + "; first part is not base64 of digits")
    neg("discord-bot-token", "bot id %s" % discord(valid=False), source=src + "; first part decodes to letters")
    neg("discord-bot-token", "MTIzNDU2Nzg5 is base64 for a number.", source=src)

    # ---- telegram-bot-token
    T = "<TELEGRAM_BOT_TOKEN>"
    src = "Telegram Bot API tokens: bot id, colon, 35 characters opening with A (core.telegram.org/bots/api)"
    for ctx in ["bot = telebot.TeleBot('%s')", "https://api.telegram.org/bot%s/getMe", "TELEGRAM_BOT_TOKEN=%s", "我的电报机器人令牌：%s"]:
        t = "%d:AA%s" % (R.randint(10 ** 8, 10 ** 10 - 1), b64url(33))
        pos("telegram-bot-token", T, ctx % t, t, source=src)
    neg("telegram-bot-token", "meeting at 12:30:45, room 1234567890:AB", source=src)
    neg("telegram-bot-token", "TELEGRAM_BOT_TOKEN=123456789:AAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", source=src + "; placeholder")
    neg("telegram-bot-token", "id 123456789:%s" % b62(35).replace("A", "B"), source=src + "; secret part does not open with A")

    # ---- twilio-key
    T = "<TWILIO_KEY>"
    src = "Twilio SIDs: AC (account) and SK (API key) and 32 hex; detect-secrets TwilioKeyDetector"
    t = "SK" + hexs(32)
    pos("twilio-key", T, "client = Client('%s', api_secret)" % t, t, source=src)
    t = "AC" + hexs(32)
    pos("twilio-key", T, "TWILIO_ACCOUNT_SID=%s" % t, t, source=src)
    t = "SK" + hexs(32)
    pos("twilio-key", T, "Twilio 的 API key 是 %s" % t, t, source=src)
    neg("twilio-key", "TWILIO_ACCOUNT_SID=ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", source=src + "; placeholder")
    neg("twilio-key", "ACCESS_LEVEL=ADMIN and SKIP_TESTS=1", source=src)
    neg("twilio-key", "AC00000000000000000000000000000000", source=src + "; no entropy")

    # ---- sendgrid-key
    T = "<SENDGRID_KEY>"
    src = "SendGrid API keys: SG.<22>.<43> (detect-secrets SendGridDetector)"
    t = "SG." + b64url(22) + "." + b64url(43)
    pos("sendgrid-key", T, "sg = SendGridAPIClient('%s')" % t, t, source=src)
    t = "SG." + b64url(22) + "." + b64url(43)
    pos("sendgrid-key", T, "SENDGRID_API_KEY=%s" % t, t, source=src)
    neg("sendgrid-key", "SG.%s.%s" % ("x" * 22, "x" * 43), source=src + "; placeholder")
    neg("sendgrid-key", "Visit SG. Pte Ltd. for more.", source=src)

    # ---- mailchimp-key
    T = "<MAILCHIMP_KEY>"
    src = "Mailchimp API keys: 32 hex and the data centre, -usN (detect-secrets MailchimpDetector)"
    t = hexs(32) + "-us" + str(R.randint(1, 21))
    pos("mailchimp-key", T, 'MAILCHIMP_API_KEY = "%s"' % t, t, source=src)
    t = hexs(32) + "-us" + str(R.randint(1, 21))
    pos("mailchimp-key", T, "邮件营销的 key：%s" % t, t, source=src)
    neg("mailchimp-key", "region = us-east-1, bucket = logs-us1", source=src)
    neg("mailchimp-key", "00000000000000000000000000000000-us6", source=src + "; no entropy")

    # ---- stripe-key
    T = "<STRIPE_KEY>"
    src = "Stripe API keys (docs.stripe.com/keys): sk_/rk_ live and test; publishable pk_ keys are public"
    t = "sk_live_" + b62(24)
    pos("stripe-key", T, "stripe.api_key = \"%s\"" % t, t, source=src)
    t = "rk_live_" + b62(99)
    pos("stripe-key", T, "restricted key %s" % t, t, source=src)
    t = "sk_test_" + b62(24)
    pos("stripe-key", T, "STRIPE_SECRET_KEY=%s" % t, t, source=src)
    t = "whsec_" + b62(32)
    pos("stripe-key", T, "Stripe webhook 签名密钥：%s" % t, t, source=src + "; webhook signing secret")
    neg("stripe-key", "STRIPE_PUBLISHABLE_KEY=pk_live_" + b62(24), source=src + "; publishable key")
    neg("stripe-key", "stripe.api_key = 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx'", source=src + "; placeholder")
    neg("stripe-key", "Secret keys start with sk_live_ in live mode.", source=src)

    # ---- square-token
    T = "<SQUARE_TOKEN>"
    src = "Square OAuth secrets sq0csp- and access tokens sq0atp- / EAAA (detect-secrets SquareOAuthDetector)"
    t = "sq0csp-" + b64url(43)
    pos("square-token", T, "SQUARE_APP_SECRET=%s" % t, t, source=src)
    t = "sq0atp-" + b64url(22)
    pos("square-token", T, "Authorization: Bearer %s" % t, t, source=src)
    t = "EAAA" + b62(60)
    pos("square-token", T, "square access token %s" % t, t, source=src)
    neg("square-token", "sq0csp-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", source=src + "; placeholder")
    neg("square-token", "EAAA is the prefix of Square production access tokens.", source=src)

    # ---- shopify-token
    T = "<SHOPIFY_TOKEN>"
    src = "Shopify tokens: shpat_/shpca_/shppa_/shpss_ and 32 hex"
    for p in ["shpat_", "shpss_", "shppa_"]:
        t = p + hexs(32)
        pos("shopify-token", T, "X-Shopify-Access-Token: %s" % t if p == "shpat_" else "shopify secret %s" % t, t, source=src)
    neg("shopify-token", "shpat_" + "0" * 32, source=src + "; no entropy")
    neg("shopify-token", "Admin API tokens start with shpat_.", source=src)

    # ---- postman-key / doppler-token / linear-key
    T = "<POSTMAN_KEY>"
    src = "Postman API keys: PMAK-<24 hex>-<34 hex>"
    t = "PMAK-" + hexs(24) + "-" + hexs(34)
    pos("postman-key", T, "postman collection run --api-key %s" % t, t, source=src)
    t = "PMAK-" + hexs(24) + "-" + hexs(34)
    pos("postman-key", T, "Postman 的 key 在这：%s" % t, t, source=src)
    neg("postman-key", "POSTMAN_API_KEY=PMAK-xxxxxxxxxxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", source=src + "; placeholder")
    neg("postman-key", "Postman keys begin with PMAK-.", source=src)
    T = "<DOPPLER_TOKEN>"
    src = "Doppler token prefixes: dp.pt. personal, dp.st. service, dp.sa. service account, dp.ct. CLI"
    t = "dp.pt." + b62(43)
    pos("doppler-token", T, "DOPPLER_TOKEN=%s" % t, t, source=src)
    t = "dp.st.prd." + b62(40)
    pos("doppler-token", T, "doppler run --token %s -- npm start" % t, t, source=src)
    neg("doppler-token", "see dp.pt.docs for details", source=src)
    neg("doppler-token", "DOPPLER_TOKEN=dp.st.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", source=src + "; placeholder")
    T = "<LINEAR_KEY>"
    src = "Linear API keys: lin_api_ and 40 characters"
    t = "lin_api_" + b62(40)
    pos("linear-key", T, 'LINEAR_API_KEY = "%s"' % t, t, source=src)
    t = "lin_api_" + b62(40)
    pos("linear-key", T, "Linear 个人 API key：%s" % t, t, source=src)
    neg("linear-key", "lin_api_key_name = 'LINEAR_API_KEY'", source=src)
    neg("linear-key", "LINEAR_API_KEY=lin_api_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", source=src + "; placeholder")

    # ---- aws-key
    T = "<AWS_KEY>"
    src = "AWS access key ids (AKIA/ASIA/ABIA/ACCA + 16 base32) and secret keys (detect-secrets AWSKeyDetector, gitleaks aws rule)"
    B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    k = "AKIA" + pick(B32, 16)
    s = b64std(40)
    pos("aws-key", T, 'AWS_ACCESS_KEY_ID = "%s"\nAWS_SECRET_ACCESS_KEY = "%s"' % (k, s), k, s, source=src)
    k = "ASIA" + pick(B32, 16)
    pos("aws-key", T, "[default]\naws_access_key_id = %s\nregion = eu-west-1" % k, k, source=src + "; temporary (STS) key id")
    s = b64std(40)
    pos("aws-key", T, "aws_secret_access_key=%s" % s, s, source=src)
    k = "AKIA" + pick(B32, 16)
    pos("aws-key", T, "我不小心把 AWS 密钥 %s 提交到了仓库。" % k, k, source=src)
    k = "AKIA" + pick(B32, 16)
    pos("aws-key", T, k, k, source=src)
    neg("aws-key", "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", source="AWS documentation's example key id")
    neg("aws-key", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", source="AWS documentation's example secret key")
    neg("aws-key", "ASIAN MARKETS AND ASIA PACIFIC REGION", source=src)
    neg("aws-key", "aws_secret_access_key = os.environ['AWS_SECRET_ACCESS_KEY']", source=src)

    # ---- azure-storage-key
    T = "<AZURE_STORAGE_KEY>"
    src = "Azure storage connection strings: AccountKey= base64 of 64 bytes (detect-secrets AzureStorageKeyDetector)"
    k = base64.b64encode(bytes(R.getrandbits(8) for _ in range(64))).decode()
    pos("azure-storage-key", T, "DefaultEndpointsProtocol=https;AccountName=mystore;AccountKey=%s;EndpointSuffix=core.windows.net" % k, k, source=src)
    k = base64.b64encode(bytes(R.getrandbits(8) for _ in range(64))).decode()
    pos("azure-storage-key", T, 'conn = "AccountName=logs;AccountKey=%s"' % k, k, source=src)
    neg("azure-storage-key", "AccountKey=<your account key>", source=src + "; placeholder")
    neg("azure-storage-key", "UseDevelopmentStorage=true;AccountKey=", source=src)

    # ---- google-api-key / google-oauth-secret
    T = "<GOOGLE_API_KEY>"
    src = "Google API keys: AIza and 35 characters (gitleaks gcp-api-key)"
    for ctx in ['const firebaseConfig = { apiKey: "%s" };', "https://maps.googleapis.com/maps/api/js?key=%s&callback=init",
                "谷歌地图的 key 是 %s"]:
        k = "AIza" + b64url(35)
        pos("google-api-key", T, ctx % k, k, source=src)
    neg("google-api-key", "GOOGLE_API_KEY=AIzaxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", source=src + "; placeholder")
    neg("google-api-key", "Keys begin with AIza; restrict them by referrer.", source=src)
    T = "<GOOGLE_OAUTH_SECRET>"
    src = "Google OAuth client secrets: GOCSPX- and 28 characters"
    k = "GOCSPX-" + b64url(28)
    pos("google-oauth-secret", T, '{"installed": {"client_id": "1234-abc.apps.googleusercontent.com", "client_secret": "%s"}}' % k, k, source=src)
    neg("google-oauth-secret", "client_secret starts with GOCSPX- in new projects", source=src)

    # ---- ibm-cloud-key
    T = "<IBM_CLOUD_KEY>"
    src = "IBM Cloud IAM API keys (44 chars) and COS HMAC secrets (48 hex) by name (detect-secrets IbmCloudIamDetector, IbmCosHmacDetector)"
    k = b64url(44)
    pos("ibm-cloud-key", T, "IBM_CLOUD_API_KEY=%s" % k, k, source=src)
    k = b64url(44)
    pos("ibm-cloud-key", T, 'ibm_iam_apikey: "%s"' % k, k, source=src)
    k = hexs(48)
    pos("ibm-cloud-key", T, "cos_hmac_secret_access_key = %s" % k, k, source=src)
    neg("ibm-cloud-key", "IBM_CLOUD_API_KEY=${IBMCLOUD_API_KEY}", source=src + "; variable")
    neg("ibm-cloud-key", "iam_role = arn:aws:iam::123456789012:role/deploy", source=src)

    # ---- cloudant-key
    T = "<CLOUDANT_KEY>"
    src = "Cloudant passwords (64 hex) and API keys (24 letters), by name or in a cloudant.com URL (detect-secrets CloudantDetector)"
    k = hexs(64)
    pos("cloudant-key", T, 'cloudant_password = "%s"' % k, k, source=src)
    k = pick("abcdefghijklmnopqrstuvwxyz", 24)
    pos("cloudant-key", T, "CLOUDANT_APIKEY=%s" % k, k, source=src)
    k = hexs(64)
    pos("cloudant-key", T, "https://acct-bluemix:%s@acct-bluemix.cloudant.com/db" % k, k, source=src)
    neg("cloudant-key", "cloudant_password = 'aaaaaaaaaaaaaaaaaaaaaaaa'", source=src + "; no entropy")
    neg("cloudant-key", "Cloudant is a managed CouchDB service from IBM.", source=src)

    # ---- digitalocean-token / heroku-key / databricks-token
    T = "<DIGITALOCEAN_TOKEN>"
    src = "DigitalOcean tokens: dop_v1_ / doo_v1_ / dor_v1_ and 64 hex"
    k = "dop_v1_" + hexs(64)
    pos("digitalocean-token", T, "doctl auth init --access-token %s" % k, k, source=src)
    k = "doo_v1_" + hexs(64)
    pos("digitalocean-token", T, "DIGITALOCEAN_TOKEN=%s" % k, k, source=src)
    neg("digitalocean-token", "DIGITALOCEAN_TOKEN=dop_v1_" + "0" * 64, source=src + "; no entropy")
    neg("digitalocean-token", "api_v1_route = '/v1/users'", source=src)
    T = "<HEROKU_KEY>"
    src = "Heroku API keys: HRKU-AA tokens, or a UUID assigned to a Heroku name (gitleaks heroku rules)"
    k = uuid()
    pos("heroku-key", T, "HEROKU_API_KEY=%s" % k, k, source=src)
    k = "HRKU-AA" + b64url(58)
    pos("heroku-key", T, "heroku auth token: %s" % k, k, source=src)
    neg("heroku-key", "heroku_app_id = %s" % uuid(), source=src + "; an app id is not a key")
    neg("heroku-key", "git push heroku main", source=src)
    T = "<DATABRICKS_TOKEN>"
    src = "Databricks personal access tokens: dapi and 32 hex"
    k = "dapi" + hexs(32)
    pos("databricks-token", T, "DATABRICKS_TOKEN=%s" % k, k, source=src)
    k = "dapi" + hexs(32) + "-2"
    pos("databricks-token", T, 'databricks configure --token  # paste %s' % k, k, source=src)
    neg("databricks-token", "the dapi prefix marks a Databricks token", source=src)
    neg("databricks-token", "dapi" + "0" * 32, source=src + "; no entropy")

    # ---- basic-auth
    T = "<BASIC_AUTH>"
    src = "Credentials in URLs, scheme://user:password@host (RFC 3986 userinfo; detect-secrets BasicAuthDetector)"
    for ctx in ["DATABASE_URL=postgres://app:%s@db.internal.example.com:5432/prod", "git clone https://deploy:%s@git.example.com/team/repo.git",
                "amqp://guest:%s@rabbit.example.org:5672/", "数据库连接串：mysql://root:%s@10.0.0.5:3306/shop", "redis://:%s@cache.example.com:6379/0"]:
        p = b62(8) + R.choice(["!", "%21", "-", "_", "~"]) + b62(6)
        pos("basic-auth", T, ctx % p, p, source=src)
    neg("basic-auth", "http://localhost:8080@example.org/path", source=src + "; the 'password' is a port")
    neg("basic-auth", "postgres://user:password@localhost/db", source=src + "; the word password")
    neg("basic-auth", "mysql://${DB_USER}:${DB_PASS}@db:3306/app", source=src + "; variables")
    neg("basic-auth", "https://user:****@example.com/", source=src + "; masked")
    neg("basic-auth", "ssh://git@github.com:22/org/repo.git", source=src + "; no password")
    neg("basic-auth", "https://example.com/docs?redirect=mailto:a@b", source=src)

    # ---- high-entropy-assignment
    T = "<SECRET>"
    src = "values assigned to key-like names (detect-secrets KeywordDetector + high-entropy plugins; gitleaks generic-api-key, 3.5 bits)"
    for ctx in ['api_key = "%s"', "const clientSecret = '%s';", '"client_secret": "%s",', "SECRET_KEY=%s", "  password: \"%s\"",
                'db.connect(password="%s")', "$apiToken = '%s';", "token := \"%s\"", "app.secret_key = b'%s'",
                "export MY_SERVICE_TOKEN=%s", "jdbc.password=%s", "<add key=\"ApiSecret\" value=\"x\"/>\nApiSecret: %s"]:
        v = b62d(R.randint(20, 40))
        pos("high-entropy-assignment", T, ctx % v, v, source=src)
    v = b62d(24)
    pos("high-entropy-assignment", T, "测试环境的密钥是 %s，上线前要换掉。" % v, v, source=src + "; Chinese prose")
    v = b62d(20)
    pos("high-entropy-assignment", T, "数据库密码：%s" % v, v, source=src + "; Chinese prose")
    v = b62d(28)
    pos("high-entropy-assignment", T, "The API key is %s." % v, v, source=src + "; English prose")
    v = hexs(32)
    pos("high-entropy-assignment", T, '"client_secret": "%s"' % v, v, source=src + "; hex value")
    for text in ['password = "hunter2"', 'api_key = "YOUR_API_KEY_HERE"', 'token = "${TOKEN}"', 'secret_name = "database-password-prod"',
                 'primary_key = "user_id_2023_backup"', 'key_file = "config/keys/prod2.pem"', "token = os.environ['TOKEN']",
                 'password_hash_algorithm = "argon2id"', 'cache_key = "user:1234:profile"', "SECRET_KEY=changeme-in-production-123",
                 "def tokenize(text): return text.split()", "API_KEY=<your-api-key>", '"keyboard_layout": "qwertzuiop1234"',
                 "密码是什么？请联系管理员重置。", "The password is stored in the vault, never in the code.", "token = get_token(user_id, scope='read')",
                 "api_key: {{ .Values.apiKey }}", 'passwordField.setHint("Enter password")', "session_token_ttl = 3600",
                 'const tokenUrl = "https://auth.example.com/oauth2/token";']:
        neg("high-entropy-assignment", text, source=src)

    # ---- ordinary text: nothing at all
    for text in ["请用 pip install requests 安装依赖。", "The river town opened a new library in the spring of 2021.",
                 "import numpy as np\nx = np.arange(10)\nprint(x.sum())", "commit 3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39\nAuthor: A <a@example.org>",
                 "sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "uuid = 123e4567-e89b-12d3-a456-426614174000",
                 "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="]:
        neg("high-entropy-assignment", text, source="ordinary code and text")


if __name__ == "__main__":
    cases()
    with open(OUT, "w", encoding="utf-8") as f:
        for c in CASES:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    fams = {}
    for c in CASES:
        p, n = fams.get(c["family"], (0, 0))
        fams[c["family"]] = (p + (1 if c["found"] else 0), n + (0 if c["found"] else 1))
    print(len(CASES), "cases,", len(fams), "families")
    for k, (p, n) in fams.items():
        print("  %-22s %3d positives %3d negatives" % (k, p, n))
