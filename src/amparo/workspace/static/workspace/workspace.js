// The workspace answers an invalid form with status 422 and the section re-rendered with its
// errors: let htmx swap it in (by default htmx 2 leaves 4xx responses unswapped).
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr.status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
