/**
 * The page's only script, inlined: sorts a table when a column's button is
 * pressed and filters the accounts table as one types. Plain DOM, no
 * library; without script the tables are still complete and in account order.
 */
export const PAGE_SCRIPT = `
(function () {
  function cellValue(row, index) {
    var cell = row.cells[index];
    var sort = cell.getAttribute('data-sort');
    return sort !== null ? sort : cell.textContent.trim();
  }
  document.querySelectorAll('table[data-sortable]').forEach(function (table) {
    var headers = table.querySelectorAll('thead th');
    headers.forEach(function (th, index) {
      var button = th.querySelector('button');
      if (!button) return;
      button.addEventListener('click', function () {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        headers.forEach(function (other) { other.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var numeric = th.hasAttribute('data-numeric');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index), y = cellValue(b, index);
          var order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
  var filter = document.getElementById('accounts-filter');
  var table = document.getElementById('accounts');
  var status = document.getElementById('accounts-shown');
  if (filter && table && status) {
    filter.addEventListener('input', function () {
      var needle = filter.value.trim().toLowerCase();
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var match = needle === '' || row.textContent.toLowerCase().indexOf(needle) !== -1;
        row.hidden = !match;
        if (match) shown += 1;
      });
      status.textContent = shown + ' of ' + table.tBodies[0].rows.length + ' shown';
    });
  }
})();
`;
