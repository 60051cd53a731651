import React, { useState, useCallback, type ReactNode } from 'react';
import clsx from 'clsx';
import { Icon, Spinner } from './icons';
import { Tooltip } from '@ui/tooltip';
import styles from './Button.module.css';

/** Visual variants a button can take. */
export type Variant = 'primary' | 'secondary' | 'danger';

export interface ButtonProps extends React.ButtonHTMLAttributes<HTMLButtonElement> {
  /** Shown left of the label. */
  icon?: string;
  variant?: Variant;
  loading?: boolean;
  children: ReactNode;
}

/**
 * The one button of the design system.
 */
export function Button({ icon, variant = 'primary', loading = false, children, ...rest }: ButtonProps) {
  const [pressed, setPressed] = useState(false);
  const onClick = useCallback(
    (event: React.MouseEvent<HTMLButtonElement>) => {
      setPressed(true);
      rest.onClick?.(event);
    },
    [rest.onClick],
  );
  return (
    <button {...rest} className={clsx(styles.button, styles[variant], pressed && styles.pressed)} onClick={onClick}>
      {loading ? <Spinner size="small" /> : icon && <Icon name={icon} />}
      {children}
    </button>
  );
}

export const IconButton = ({ icon, label }: { icon: string; label: string }): JSX.Element => (
  <Button icon={icon} aria-label={label} variant="secondary">
    <span className={styles.hidden}>{label}</span>
  </Button>
);

export default React.memo(Button);
