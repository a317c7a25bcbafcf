/* One time zone in the admin (issue 22): times are typed and shown in the newsroom's
 * zone, which the form names beside each time field. Django's "You are N hours behind
 * server time" note, added under time boxes when the browser's zone differs, is not
 * shown; the "Now" shortcut still gives the newsroom's time. */
(function () {
  "use strict";
  if (window.DateTimeShortcuts) {
    window.DateTimeShortcuts.addTimezoneWarning = function () {};
  }
})();
