// The clinician's queue: the plan for the rest of the session (does everyone fit? who is expected when, with
// whom), this clinician's own encounter pinned on top, who is waiting and the call → start → complete flow of a
// brief 1:1 visit. Each part of the screen is a module (./queue/, and ./plan.js shared with the console)
// rendering from the whole view on every change and every second of the server's clock.
import { show } from "/static/common/patch.js";
import { renderFit } from "./plan.js";
import * as done from "./queue/done.js";
import * as lanes from "./queue/lanes.js";
import * as mine from "./queue/mine.js";
import * as others from "./queue/others.js";
import * as room from "./queue/room.js";
import * as waiting from "./queue/waiting.js";
import { start } from "./staff.js";
// Other features' parts of this screen: one import each here, one call each in render().
import { renderDuty } from "./duty.js";
import { renderThresholds } from "./thresholds.js";

const { config, channel } = start({ render, tick: render });
// What every part needs besides the view: who is looking, the server's clock, and the live channel.
const screen = {
  me: config.viewer.id,
  now: () => channel.serverNow() / 1000,
  send: (name, args) => channel.send(name, args),
};
room.wire(screen.me);

function render(view) {
  show(document.getElementById("closed-note"), view.session.phase === "closed");
  renderFit(view, screen.now());
  lanes.render(view, screen);
  mine.render(view, screen);
  waiting.render(view, screen);
  renderDuty(view, channel); // after the waiting rows: it adds Move up and Minutes to each
  others.render(view, screen);
  done.render(view, screen);
  renderThresholds(view.session.settings);
}
