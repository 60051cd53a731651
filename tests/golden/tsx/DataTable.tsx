import * as React from 'react';
import { Component, createContext } from 'react';
import type { Row, SortOrder } from '../types';
import { formatCell } from '../format';
import { useVirtual } from 'react-virtual';

/** Column definition for {@link DataTable}. */
export interface Column<T, K extends keyof T = keyof T> {
  key: K;
  title: string;
  render?(value: T[K], row: T): React.ReactNode;
  width?: number;
}

interface TableState {
  sortKey: string | null;
  order: SortOrder;
}

export const TableContext = createContext<{ dense: boolean }>({ dense: false });

export class DataTable<T extends Row> extends Component<{ rows: T[]; columns: Column<T>[] }, TableState> {
  static defaultProps = { rows: [] };
  state: TableState = { sortKey: null, order: 'asc' };
  private headerRef = React.createRef<HTMLTableSectionElement>();

  /** Toggle sorting by one column. */
  toggleSort = (key: string): void => {
    this.setState((prev) => ({
      sortKey: key,
      order: prev.sortKey === key && prev.order === 'asc' ? 'desc' : 'asc',
    }));
  };

  protected sortedRows(): T[] {
    const { sortKey, order } = this.state;
    const rows = [...this.props.rows];
    if (sortKey) {
      rows.sort((a, b) => String(a[sortKey]).localeCompare(String(b[sortKey])) * (order === 'asc' ? 1 : -1));
    }
    return rows;
  }

  render() {
    const { columns } = this.props;
    return (
      <TableContext.Provider value={{ dense: true }}>
        <table>
          <thead ref={this.headerRef}>
            <tr>
              {columns.map((c) => (
                <th key={String(c.key)} onClick={() => this.toggleSort(String(c.key))}>
                  {c.title}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {this.sortedRows().map((row, i) => (
              <tr key={i}>
                {columns.map((c) => (
                  <td key={String(c.key)}>{c.render ? c.render(row[c.key], row) : formatCell(row[c.key])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableContext.Provider>
    );
  }
}

export function useColumns<T>(...columns: Column<T>[]): Column<T>[] {
  return React.useMemo(() => columns, columns);
}
