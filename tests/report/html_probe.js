// Appended to a page of zaph-report --format=html by html_browser.sh, which renders it in headless
// Chromium and compares what this writes into a pre element (id probe) with
// html_browser.expected: the laid-out chart (each bar's ends in percent on the scale the tier
// edges give, and its side of the edges; the intervals to a tenth, as layout rounds), the table
// rows, and their order after clicks on the column headers.
(function () {
  var lines = [];
  function say(line) { lines.push(line); }
  function box(element) { return element.getBoundingClientRect(); }

  say('title: ' + document.title);
  say('scripts: ' + document.scripts.length);
  var chart = document.getElementById('chart');
  if (chart) {
    // The scale in CSS pixels from the two edges, so every number below is in percent.
    var x20 = box(document.getElementById('edge-20')).left;
    var x80 = box(document.getElementById('edge-80')).left;
    var perPct = (x80 - x20) / 60, zero = x20 - 20 * perPct;
    var pct = function (x, digits) {
      var scale = Math.pow(10, digits || 2);
      return (Math.round((x - zero) / perPct * scale) / scale + 0).toFixed(digits || 2);
    };
    var side = function (x) {
      var near = function (edge) { return Math.abs(x - edge) < 0.05; };
      if (near(x20)) return 'at 20%';
      if (near(x80)) return 'at 80%';
      return x < x20 ? 'below 20%' : x < x80 ? 'between 20% and 80%' : 'above 80%';
    };
    var rows = chart.querySelectorAll('g.op');
    say('chart rows: ' + rows.length + ', bars: ' + chart.querySelectorAll('rect.bar').length);
    Array.prototype.forEach.call(rows, function (row) {
      var label = row.querySelector('text.label').textContent;
      var bar = row.querySelector('rect.bar');
      var mark = row.querySelector('text.mark');
      var line = label + ': ';
      if (bar) {
        var b = box(bar);
        line += 'bar ' + pct(b.left) + '..' + pct(b.right) + ' (' + bar.getAttribute('class') +
          ', ' + side(b.right) + ', data-pct ' + bar.getAttribute('data-pct') + ')';
      } else {
        line += 'no bar';
      }
      var interval = row.querySelector('path.interval');
      if (interval) {
        var i = box(interval);
        line += ', interval ' + pct(i.left, 1) + '..' + pct(i.right, 1);
      }
      if (mark) line += ', ' + mark.textContent + ' (' + mark.getAttribute('class') + ')';
      say(line);
    });
  }

  var table = document.getElementById('ops');
  if (!table) {
    say('no table');
  } else {
    var names = function () {
      return Array.prototype.map.call(table.tBodies[0].rows, function (row) {
        return row.cells[8].textContent;
      }).join(', ');
    };
    var click = function (title) {
      var heads = table.tHead.rows[0].cells;
      for (var i = 0; i < heads.length; i++)
        if (heads[i].textContent === title) {
          heads[i].querySelector('button').click();
          return heads[i].getAttribute('aria-sort');
        }
      return 'no column ' + title;
    };
    say('table rows: ' + table.tBodies[0].rows.length);
    say('report order: ' + names());
    ['Freq %', 'Freq %', 'Op', 'Tier', 'Decl'].forEach(function (title) {
      var order = click(title);
      say(title + ' ' + order + ': ' + names());
    });
  }
  var probe = document.createElement('pre');
  probe.id = 'probe';
  probe.textContent = lines.join('\n');
  document.body.appendChild(probe);
})();
