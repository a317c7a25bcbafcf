/* "Copy quote" on speech pages: a progressive enhancement.
 *
 * The page works without this script: every paragraph of a transcript already has an
 * anchor (#p-N) and a "link to this paragraph" link, made on the server. Where the
 * browser offers the asynchronous clipboard, this adds a "Copy quote" button to each
 * of those paragraphs, which copies
 *     “paragraph text” — Speaker, Role, Speech title, date, https://…/#p-N
 * and says so in a polite live region. The attribution comes from data attributes on
 * the <article> (data-quote-speaker, -title, -date, -url). No inline script (CSP).
 */
(function () {
  "use strict";

  var article = document.querySelector("article[data-quote-title]");
  if (!article || !navigator.clipboard || !window.isSecureContext) {
    return;
  }
  var data = article.dataset;
  var pageUrl = data.quoteUrl || window.location.href.split("#")[0];

  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  article.appendChild(status);

  function paragraphText(paragraph) {
    var copy = paragraph.cloneNode(true);
    copy.querySelectorAll(".para-tools").forEach(function (tools) {
      tools.remove();
    });
    copy.querySelectorAll("br").forEach(function (lineBreak) {
      lineBreak.replaceWith(" ");
    });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function quotation(paragraph) {
    var attribution = [data.quoteSpeaker, data.quoteTitle, data.quoteDate, pageUrl + "#" + paragraph.id]
      .filter(Boolean)
      .join(", ");
    return "\u201c" + paragraphText(paragraph) + "\u201d \u2014 " + attribution;
  }

  article.querySelectorAll(".prose > p[id^='p-']").forEach(function (paragraph) {
    var tools = paragraph.querySelector(".para-tools");
    if (!tools) {
      return;
    }
    var number = paragraph.id.slice(2);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "quote-copy";
    var which = document.createElement("span");
    which.className = "visually-hidden";
    which.textContent = " from paragraph " + number;
    button.append("Copy quote", which);
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(quotation(paragraph)).then(
        function () {
          status.textContent = "Paragraph " + number + " copied as a quotation, with its source.";
          button.classList.add("quote-copy--done");
        },
        function () {
          status.textContent = "Copying was not allowed. Select the text to copy it instead.";
        }
      );
    });
    tools.appendChild(button);
  });
})();
