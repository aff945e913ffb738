package org.rlhf4j.host.filter;

import static org.rlhf4j.host.filter.SecretDetectors.after;
import static org.rlhf4j.host.filter.SecretDetectors.assigned;
import static org.rlhf4j.host.filter.SecretDetectors.lead;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Keys of cloud platforms. AWS ({@code aws-key}): access key ids ({@code AKIA}, {@code ASIA}, {@code ABIA},
 * {@code ACCA}, {@code A3T.} and 16 base32 characters) and 40-character secret keys assigned to AWS names. Azure
 * storage account keys ({@code azure-storage-key}: {@code AccountKey=} and 88 base64 characters, 64 bytes). Google
 * API keys ({@code google-api-key}: {@code AIza} and 35 characters) and OAuth client secrets
 * ({@code google-oauth-secret}: {@code GOCSPX-}). IBM Cloud IAM keys and COS HMAC secrets ({@code ibm-cloud-key},
 * assigned to IBM/IAM/COS names), Cloudant passwords and API keys ({@code cloudant-key}, assigned or in a
 * {@code *.cloudant.com} URL), DigitalOcean tokens ({@code digitalocean-token}: {@code dop_v1_}, {@code doo_v1_},
 * {@code dor_v1_} and 64 hex), Heroku API keys ({@code heroku-key}: {@code HRKU-AA} or a UUID assigned to a Heroku
 * name), Databricks tokens ({@code databricks-token}: {@code dapi} and 32 hex).
 */
final class CloudKeyDetectors {

    private CloudKeyDetectors() {
    }

    static final Detector AWS_KEY_ID = new Detector("aws-key", "<AWS_KEY>", Pattern.compile(
            "(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])(?<![A-Za-z0-9](?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9]))[A-Z2-7]{16}(?![A-Za-z0-9])"), 0,
            s -> SecretChecks.randomBody(s.substring(4), 2.8), Detector.containsAny("AKIA", "ASIA", "ABIA", "ACCA", "A3T"));
    static final Detector AWS_SECRET = new Detector("aws-key", "<AWS_KEY>", Pattern.compile(
            assigned("aws[\\w.-]{0,20}?(?:secret|key|pwd|pw|password|pass|token)", "[A-Za-z0-9/+]{40}", "[A-Za-z0-9/+=]")), 1,
            s -> SecretChecks.randomBody(s, 4.0) && SecretChecks.mixed(s), Detector.containsAny("aws", "AWS", "Aws"));

    static final Detector AZURE_STORAGE = new Detector("azure-storage-key", "<AZURE_STORAGE_KEY>", Pattern.compile(
            "AccountKey=([A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])"), 1,
            s -> SecretChecks.base64(s) != null && SecretChecks.base64(s).length == 64 && SecretChecks.randomBody(s, 4.5),
            Detector.containsAny("AccountKey="));

    static final Detector GOOGLE_API = new Detector("google-api-key", "<GOOGLE_API_KEY>", Pattern.compile(
            lead("AIza") + "[0-9A-Za-z_-]{35}" + after()), 0, s -> SecretChecks.randomBody(s.substring(4), 3.5),
            Detector.containsAny("AIza"));
    static final Detector GOOGLE_OAUTH = new Detector("google-oauth-secret", "<GOOGLE_OAUTH_SECRET>", Pattern.compile(
            lead("GOCSPX-") + "[0-9A-Za-z_-]{28}" + after()), 0, s -> SecretChecks.randomBody(s.substring(7), 3.5),
            Detector.containsAny("GOCSPX-"));

    static final Detector IBM_IAM = new Detector("ibm-cloud-key", "<IBM_CLOUD_KEY>", Pattern.compile(
            assigned("(?:ibm|iam)[\\w.-]{0,20}?(?:api[_-]?key|key|pwd|password|pass|token|secret)", "[A-Za-z0-9_-]{44}", "[\\w-]")), 1,
            s -> SecretChecks.randomBody(s, 4.0), Detector.containsAny("ibm", "IBM", "Ibm", "iam", "IAM", "Iam"));
    static final Detector IBM_COS = new Detector("ibm-cloud-key", "<IBM_CLOUD_KEY>", Pattern.compile(
            assigned("(?:ibm[_-]?)?cos[_-]?(?:hmac[_-]?)?(?:secret|access)[_-]?(?:access[_-]?)?key", "[a-f0-9]{48}", "[\\w-]")), 1,
            s -> SecretChecks.randomBody(s, SecretChecks.HEX_BODY), Detector.containsAny("cos", "COS", "Cos"));

    static final Detector CLOUDANT = new Detector("cloudant-key", "<CLOUDANT_KEY>", Pattern.compile(
            assigned("cloudant[\\w.-]{0,20}?(?:api[_-]?key|pass(?:word)?|pwd|pw|key|secret)", "[0-9a-f]{64}|[a-z]{24}", "[\\w-]")), 1,
            s -> SecretChecks.randomBody(s, SecretChecks.HEX_BODY), Detector.containsAny("cloudant", "Cloudant", "CLOUDANT"));
    static final Detector CLOUDANT_URL = new Detector("cloudant-key", "<CLOUDANT_KEY>", Pattern.compile(
            "https?://[\\w-]+:([0-9a-f]{64}|[a-z]{24})@[\\w-]+\\.cloudant(?:nosqldb\\.appdomain)?\\.com"), 1,
            s -> SecretChecks.randomBody(s, SecretChecks.HEX_BODY), Detector.containsAny("cloudant"));

    static final Detector DIGITALOCEAN = new Detector("digitalocean-token", "<DIGITALOCEAN_TOKEN>", Pattern.compile(
            lead("do[opr]_v1_") + "[a-f0-9]{64}" + after()), 0, s -> SecretChecks.randomBody(s.substring(7), SecretChecks.HEX_BODY),
            Detector.containsAny("_v1_"));

    static final Detector HEROKU_NEW = new Detector("heroku-key", "<HEROKU_KEY>", Pattern.compile(
            lead("HRKU-AA") + "[0-9A-Za-z_-]{58}" + after()), 0, s -> SecretChecks.randomBody(s.substring(7), 3.5),
            Detector.containsAny("HRKU-AA"));
    static final Detector HEROKU_UUID = new Detector("heroku-key", "<HEROKU_KEY>", Pattern.compile(
            assigned("heroku[\\w.-]{0,20}?(?:api[_-]?key|key|token|secret|pass(?:word)?)",
                    "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "[\\w-]")), 1,
            s -> SecretChecks.randomBody(s, SecretChecks.HEX_BODY), Detector.containsAny("heroku", "Heroku", "HEROKU"));

    static final Detector DATABRICKS = new Detector("databricks-token", "<DATABRICKS_TOKEN>", Pattern.compile(
            lead("dapi") + "[a-f0-9]{32}(?:-\\d)?" + after()), 0, s -> SecretChecks.randomBody(s.substring(4), SecretChecks.HEX_BODY),
            Detector.containsAny("dapi"));

    static final List<Detector> ALL = List.of(AWS_KEY_ID, AWS_SECRET, AZURE_STORAGE, GOOGLE_API, GOOGLE_OAUTH, IBM_IAM, IBM_COS,
            CLOUDANT, CLOUDANT_URL, DIGITALOCEAN, HEROKU_NEW, HEROKU_UUID, DATABRICKS);
}
