// The check-in page's device fingerprint: a SHA-256 of what the browser says about the device, posted with the form
// (the server falls back to a hash of the User-Agent header where SubtleCrypto is missing, outside HTTPS).
(function () {
  "use strict";
  var field = document.getElementById("device-fingerprint");
  if (!field || !window.crypto || !window.crypto.subtle || !window.TextEncoder) {
    return;
  }
  var parts = [
    navigator.userAgent,
    navigator.language,
    screen.width + "x" + screen.height + "x" + (window.devicePixelRatio || 1),
    Intl.DateTimeFormat().resolvedOptions().timeZone || "",
  ];
  window.crypto.subtle.digest("SHA-256", new TextEncoder().encode(parts.join("|"))).then(function (digest) {
    field.value = Array.from(new Uint8Array(digest), function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
  });
})();
