// The facilitator's console: moves the room through its phases, moderates topics, keeps time,
// captures strategies and keeps an eye on check-in (matched to the cohort's roster, with last session's
// follow-ups), the cohort's strategy library and the visit queue. Each part of the screen
// is a module of ./console/ that renders its view sections and wires its own controls.
import * as behalf from "./console/behalf.js";
import * as discussion from "./console/discussion.js";
import * as followups from "./console/followups.js";
import * as library from "./console/library.js";
import * as matching from "./console/matching.js";
import * as people from "./console/people.js";
import * as phases from "./console/phases.js";
import * as strategies from "./console/strategies.js";
import * as topics from "./console/topics.js";
import * as visits from "./console/visits.js";
import { start } from "./staff.js";

const PARTS = [phases, people, matching, followups, behalf, topics, discussion, strategies, library, visits];

const { channel } = start({
  render(view) {
    for (const part of PARTS) part.render(view);
  },
  tick(view) {
    discussion.tick(view);
    visits.tick(view);
  },
});
for (const part of PARTS) part.wire(channel);
