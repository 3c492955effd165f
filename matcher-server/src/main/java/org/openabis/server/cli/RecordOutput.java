package org.openabis.server.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openabis.wire.DetainerSummary;
import org.openabis.wire.PriorityLevel;
import org.openabis.wire.RecordSummary;
import org.openabis.wire.SafeguardFlag;

/** A candidate's record summary as the identify command prints it: JSON fields, or indented lines. */
final class RecordOutput {
    private RecordOutput() {
    }

    static Map<String, Object> json(RecordSummary record) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("on_file", record.getOnFile());
        if (!record.getOnFile())
            return json;
        if (priorityOnly(record)) {
            json.put("priority", record.getPriorityValue());
            return json;
        }
        json.put("file_number", record.getFileNumber());
        json.put("name", record.getGivenNames() + " " + record.getFamilyName());
        json.put("birth_date", record.getBirthDate());
        json.put("citizenship", record.getCitizenship());
        json.put("status", record.getStatus().name());
        json.put("prior_removals", record.getPriorRemovals());
        json.put("final_removal_order", record.getFinalRemovalOrder());
        json.put("convictions", record.getConvictions());
        json.put("charges", record.getCharges());
        json.put("priority", record.getPriorityValue());
        json.put("priority_reason", record.getPriorityReason());
        json.put("detainer_recommended", record.getDetainerRecommended());
        json.put("detainer_reason", record.getDetainerReason());
        json.put("discretion_required", record.getDiscretionRequired());
        List<Map<String, Object>> safeguards = new ArrayList<>();
        for (SafeguardFlag flag : record.getSafeguardsList())
            safeguards.add(Map.of("safeguard", flag.getSafeguard().name(), "reason", flag.getReason()));
        json.put("safeguards", safeguards);
        List<Map<String, Object>> detainers = new ArrayList<>();
        for (DetainerSummary detainer : record.getDetainersList())
            detainers.add(Map.of("id", detainer.getDetainerId(), "active", detainer.getActive(), "expires_at", detainer.getExpiresAt()));
        json.put("detainers", detainers);
        return json;
    }

    /** What a booking agency receives: a record is on file, and its priority level; nothing else. */
    private static boolean priorityOnly(RecordSummary record) {
        return record.getFileNumber().isEmpty();
    }

    static List<String> text(RecordSummary record) {
        if (!record.getOnFile())
            return List.of("no record on file");
        if (priorityOnly(record))
            return List.of("record on file, priority: " + (record.getPriority() == PriorityLevel.NO_PRIORITY ? "none" : "level " + record.getPriorityValue()));
        List<String> lines = new ArrayList<>();
        lines.add("record " + record.getFileNumber() + ": " + record.getGivenNames() + " " + record.getFamilyName()
                + ", born " + record.getBirthDate() + ", " + record.getCitizenship() + ", "
                + record.getStatus().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                + (record.getPriorRemovals() > 0 ? ", " + record.getPriorRemovals() + " prior removal(s)" : "")
                + (record.getFinalRemovalOrder() ? ", final removal order" : ""));
        lines.add("priority: " + (record.getPriority() == PriorityLevel.NO_PRIORITY ? "none" : "level " + record.getPriorityValue())
                + " — " + record.getPriorityReason());
        lines.add("detainer: " + (record.getDetainerRecommended() ? "may be recommended" : "not recommended")
                + " — " + record.getDetainerReason());
        for (SafeguardFlag flag : record.getSafeguardsList())
            lines.add("safeguard " + flag.getSafeguard().name() + " — " + flag.getReason());
        for (DetainerSummary detainer : record.getDetainersList())
            lines.add("detainer " + detainer.getDetainerId() + " " + (detainer.getActive() ? "ACTIVE until " : "EXPIRED at ")
                    + detainer.getExpiresAt());
        return lines;
    }
}
