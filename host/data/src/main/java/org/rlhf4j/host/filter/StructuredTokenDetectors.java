package org.rlhf4j.host.filter;

import static org.rlhf4j.host.filter.SecretDetectors.after;
import static org.rlhf4j.host.filter.SecretDetectors.lead;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Tokens with an inner structure that is checked, and the keys of AI and secret-store services. JSON Web Tokens
 * ({@code jwt}, RFC 7519: header and payload must be base64url of JSON objects, {@link SecretChecks#validJwt}; the
 * signature may be empty, as for {@code alg: none}). age secret keys ({@code age-secret-key}: bech32 with the
 * checksum verified, {@link SecretChecks#validBech32}). Grafana ({@code grafana-token}: {@code glc_} cloud tokens,
 * base64 of a JSON object, and {@code glsa_} service-account tokens with their 8-hex tail). Sentry
 * ({@code sentry-token}: {@code sntrys_} organisation tokens, base64 of a JSON object and a secret, and
 * {@code sntryu_} user tokens). HashiCorp Vault ({@code vault-token}: {@code hvs.}, {@code hvb.}, {@code hvr.}).
 * OpenAI ({@code openai-key}: legacy {@code sk-} and project, service-account and admin keys, all carrying
 * {@code T3BlbkFJ}, base64 of "OpenAI"). Anthropic ({@code anthropic-key}: {@code sk-ant-api03-} ... 93 characters
 * and {@code AA}). Hugging Face ({@code huggingface-token}: {@code hf_} and {@code api_org_} and 34 letters).
 */
final class StructuredTokenDetectors {

    private StructuredTokenDetectors() {
    }

    static final Detector JWT = new Detector("jwt", "<JWT>", Pattern.compile(
            "eyJ(?<![\\w.-]eyJ)[A-Za-z0-9_-]{10,}={0,2}\\.[A-Za-z0-9_-]{4,}={0,2}\\.[A-Za-z0-9_-]*(?![\\w-]|\\.[\\w-])"), 0,
            s -> SecretChecks.validJwt(s.replace("=", "")), Detector.containsAny("eyJ"));

    static final Detector AGE = new Detector("age-secret-key", "<AGE_SECRET_KEY>", Pattern.compile(
            lead("AGE-SECRET-KEY-1") + "[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}" + after()), 0, SecretChecks::validBech32,
            Detector.containsAny("AGE-SECRET-KEY-1"));

    static final Detector GRAFANA = new Detector("grafana-token", "<GRAFANA_TOKEN>", Pattern.compile(
            "gl(?<![\\w+/-]gl)(?:c_[A-Za-z0-9+/]{32,400}={0,2}|sa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})(?![\\w+/=-])"), 0,
            s -> s.startsWith("glc_") ? SecretChecks.base64Json(s.substring(4)) : SecretChecks.randomBody(s.substring(5, 37), 3.5),
            Detector.containsAny("glc_", "glsa_"));

    static final Detector SENTRY = new Detector("sentry-token", "<SENTRY_TOKEN>", Pattern.compile(
            "sntry(?<![\\w+/-]sntry)(?:s_eyJ[A-Za-z0-9+/]{20,400}={0,2}_[A-Za-z0-9+/]{43}|u_[a-f0-9]{64})(?![\\w+/=-])"), 0,
            s -> s.startsWith("sntryu_") ? SecretChecks.randomBody(s.substring(7), SecretChecks.HEX_BODY)
                    : SecretChecks.base64Json(s.substring(7, s.lastIndexOf('_'))),
            Detector.containsAny("sntrys_", "sntryu_"));

    static final Detector VAULT = new Detector("vault-token", "<VAULT_TOKEN>", Pattern.compile(
            "hv[sbr]\\.(?<![\\w.-]hv[sbr]\\.)[A-Za-z0-9_-]{90,300}" + after()), 0, s -> SecretChecks.randomBody(s.substring(4), 4.0),
            Detector.containsAny("hvs.", "hvb.", "hvr."));

    static final Detector OPENAI = new Detector("openai-key", "<OPENAI_KEY>", Pattern.compile(
            lead("sk-") + "(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,74}T3BlbkFJ[A-Za-z0-9_-]{20,74}" + after()), 0,
            s -> SecretChecks.randomBody(s, 4.0), Detector.containsAny("T3BlbkFJ"));

    static final Detector ANTHROPIC = new Detector("anthropic-key", "<ANTHROPIC_KEY>", Pattern.compile(
            lead("sk-ant-") + "(?:api|admin|oat)\\d{2}-[A-Za-z0-9_-]{93}AA" + after()), 0,
            s -> SecretChecks.randomBody(s.substring(s.indexOf('-', 7) + 1), 4.0), Detector.containsAny("sk-ant-"));

    static final Detector HUGGINGFACE = new Detector("huggingface-token", "<HUGGINGFACE_TOKEN>", Pattern.compile(
            lead("(?:hf_|api_org_)") + "[A-Za-z]{34}" + after()), 0, s -> huggingFaceBody(s.substring(s.length() - 34)),
            Detector.containsAny("hf_", "api_org_"));

    static final List<Detector> ALL = List.of(JWT, AGE, GRAFANA, SENTRY, VAULT, OPENAI, ANTHROPIC, HUGGINGFACE);

    /** Random letters of both cases (not {@code hf_} and an identifier in one case). */
    static boolean huggingFaceBody(String body) {
        int upper = 0;
        int lower = 0;
        for (int i = 0; i < body.length(); i++) {
            upper += Character.isUpperCase(body.charAt(i)) ? 1 : 0;
            lower += Character.isLowerCase(body.charAt(i)) ? 1 : 0;
        }
        return upper >= 4 && lower >= 4 && SecretChecks.randomBody(body, 3.8);
    }
}
