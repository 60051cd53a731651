/*global gettext, interpolate, SelectBox*/
'use strict';
{
    /**
     * Shortcuts for date and time inputs.
     * Installed on window so inline scripts can reach it.
     */
    const DateTimeShortcuts = {
        calendars: [],
        calendarInputs: [],
        clockHours: {
            default_: [
                [gettext_noop('Now'), -1],
                [gettext_noop('Midnight'), 0]
            ]
        },
        dismissClockFunc: [],
        /** Set everything up once the page has loaded. */
        init: function() {
            const inputs = document.getElementsByTagName('input');
            for (const inp of inputs) {
                if (inp.type === 'text' && inp.classList.contains('vTimeField')) {
                    DateTimeShortcuts.addClock(inp);
                }
            }
        },
        now() {
            return new Date();
        },
        addClock: function(inp) {
            const num = DateTimeShortcuts.clockInputs.length;
            DateTimeShortcuts.dismissClockFunc[num] = function() {
                DateTimeShortcuts.dismissClock(num);
                return true;
            };
            quickElement('a', inp.parentNode, gettext('Now'), 'href', '#');
        },
        dismissClock: (num) => {
            document.getElementById(DateTimeShortcuts.clockDivName + num).style.display = 'none';
        }
    };

    function gettext_noop(text) {
        return text;
    }

    window.addEventListener('load', DateTimeShortcuts.init);
    window.DateTimeShortcuts = DateTimeShortcuts;
}

(function($) {
    var counter = 0;
    var Formset = function(options) {
        this.options = $.extend({}, Formset.defaults, options);
        this.prefix = options.prefix || 'form';
        counter += 1;
    };

    Formset.defaults = {
        prefix: 'form',
        addText: 'add another',
        added: null
    };

    Formset.prototype.addRow = function(row) {
        const template = $('#' + this.prefix + '-empty');
        row.insertBefore(template);
        this.update();
    };

    Formset.prototype = {
        update: function() {
            this.count = this.rows().length;
        },
        rows() {
            return $('.' + this.prefix + '-row');
        }
    };

    $.fn.formset = function(opts) {
        return new Formset(opts);
    };
})(django.jQuery);
