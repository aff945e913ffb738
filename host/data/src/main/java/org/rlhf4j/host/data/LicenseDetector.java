package org.rlhf4j.host.data;

import java.util.Locale;

/**
 * Names the license of a LICENSE file by the phrases each license's text carries, as SPDX ids
 * ({@code MIT}, {@code Apache-2.0}, {@code GPL-3.0} ...). A file that reserves all rights without a
 * grant is {@code proprietary}; one that matches nothing is {@code unknown}. The phrase approach is the
 * one of licensee's "exact" and "dice" matchers in spirit, without the corpus of full texts.
 */
public final class LicenseDetector {

    private LicenseDetector() {
    }

    public static String detect(String text) {
        String t = text.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        if (t.contains("gnu affero general public license")) {
            return "AGPL-3.0";
        }
        if (t.contains("gnu lesser general public license")) {
            return t.contains("version 3") ? "LGPL-3.0" : "LGPL-2.1";
        }
        if (t.contains("gnu general public license")) {
            return t.contains("version 3") ? "GPL-3.0" : "GPL-2.0";
        }
        if (t.contains("apache license") && t.contains("version 2.0")) {
            return "Apache-2.0";
        }
        if (t.contains("mozilla public license") && t.contains("2.0")) {
            return "MPL-2.0";
        }
        if (t.contains("permission is hereby granted, free of charge")) {
            return "MIT";
        }
        if (t.contains("redistribution and use in source and binary forms")) {
            return t.contains("neither the name") || t.contains("may be used to endorse") ? "BSD-3-Clause" : "BSD-2-Clause";
        }
        if (t.contains("this is free and unencumbered software released into the public domain")) {
            return "Unlicense";
        }
        if (t.contains("permission to use, copy, modify, and/or distribute this software for any purpose")) {
            return "ISC";
        }
        if (t.contains("all rights reserved") || t.contains("proprietary") || t.contains("confidential")) {
            return "proprietary";
        }
        return "unknown";
    }
}
