// What the facilitator's dashboard and the projector both need: building elements (text only,
// never HTML), a timer as m:ss, and dropping the facilitator token from the address bar (it
// lives in an HttpOnly cookie after the first visit). Loaded before each page's own script.
"use strict";

window.Goodhart = (function () {
  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function clock(seconds) {
    if (seconds === null || seconds === undefined) return "";
    const whole = Math.ceil(Math.max(0, seconds));
    return Math.floor(whole / 60) + ":" + String(whole % 60).padStart(2, "0");
  }

  function dropTokenFromAddress() {
    if (location.search.indexOf("token=") >= 0) {
      history.replaceState(null, "", location.pathname);
    }
  }

  return {el: el, clock: clock, dropTokenFromAddress: dropTokenFromAddress};
})();
