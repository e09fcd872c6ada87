// The cohort's flag thresholds in one line on the queue, so a clinician knows why someone is flagged (and
// moved up): "Flags: BP ≥ 180/110 · glucose < 70 or > 300 mg/dL".
import { setText } from "/static/common/patch.js";

export function thresholdsText(settings) {
  return "Flags: BP ≥ " + settings.systolic_high + "/" + settings.diastolic_high + " · glucose < "
    + settings.glucose_low + " or > " + settings.glucose_high + " " + settings.glucose_unit;
}

export function renderThresholds(settings) {
  setText(document.getElementById("thresholds"), thresholdsText(settings));
}
